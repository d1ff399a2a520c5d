"""The support card: UK defaults, a deployment's own file, and a clear error for a bad one."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.config import get_settings
from server.datafiles import DataFileError
from server.safety import load_support

GOOD = """\
title: Help now
message: Please reach out.
services:
  - name: Local crisis line
    contact: Call 0800 000 000
    when: 24 hours
    about: Our trust's own line.
"""


def test_the_defaults_carry_the_uk_services() -> None:
    card = load_support()
    contacts = " ".join(f"{s.name} {s.contact}" for s in card.services)
    for needed in ("999", "116 123", "111", "Practitioner Health", "BMA", "0330 123 1245"):
        assert needed in contacts
    assert all(s.when and s.about for s in card.services)


def test_a_path_given_is_read(tmp_path: Path) -> None:
    path = tmp_path / "support.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert [s.name for s in load_support(path).services] == ["Local crisis line"]


def test_the_environment_file_replaces_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("EMPOWERER_SUPPORT_FILE", str(path))
    get_settings.cache_clear()
    assert load_support().title == "Help now"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD + "    phone: 0800\n", r"services\[0\]\.phone: unknown key"),
        (GOOD.replace("    when: 24 hours\n", ""), r"services\[0\]\.when: Field required"),
        ("title: x\nmessage: y\nservices: []\n", r"services: List should have at least 1"),
        ("- just a list\n", r"must hold a mapping"),
    ],
)
def test_a_bad_file_is_an_error_naming_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"bad\.yaml: .*{message}"):
        load_support(path)


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot be read"):
        load_support(tmp_path / "nope.yaml")
