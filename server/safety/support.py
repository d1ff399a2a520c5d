"""The support card: where to get help now, from `support.yaml` or the deployment's own file.

`load_support(path)` reads `path`, else `EMPOWERER_SUPPORT_FILE` (settings `support_file`), else
the built-in UK defaults, and checks it strictly: an unknown key, a missing field or an empty
list is a DataFileError naming the file and the key.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from server.config import get_settings
from server.datafiles import read_yaml, validate_model

DEFAULT_SUPPORT_FILE = Path(__file__).resolve().parent / "support.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SupportService(_Strict):
    """One place to get help: its name, how to reach it, when, and one plain sentence."""

    name: str = Field(min_length=1, max_length=80)
    contact: str = Field(min_length=1, max_length=200)
    when: str = Field(min_length=1, max_length=200)
    about: str = Field(min_length=1, max_length=300)
    url: str | None = Field(default=None, pattern=r"^https://\S+$")


class SupportCard(_Strict):
    """What the walkthrough and the practice room show when the risk check fires."""

    title: str = Field(min_length=1, max_length=120)
    message: str = Field(min_length=1, max_length=1000)
    services: list[SupportService] = Field(min_length=1)


def load_support(path: Path | None = None) -> SupportCard:
    """The support card from `path`, else EMPOWERER_SUPPORT_FILE, else the UK defaults."""
    chosen = path or get_settings().support_file or DEFAULT_SUPPORT_FILE
    return validate_model(SupportCard, read_yaml(chosen), chosen)
