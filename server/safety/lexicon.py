"""The risk check's lexicon: `lexicon.yaml` read strictly, macros spliced in, patterns compiled once.

`lexicon()` returns the cached, compiled form; `load_lexicon(path)` reads any file of the same
shape (a deployment may not change it at run time, but tests and the validator may load a copy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from server.datafiles import DataFileError, read_yaml, validate_model

LEXICON_FILE = Path(__file__).resolve().parent / "lexicon.yaml"
_MACRO = re.compile(r"%([a-z_]+)%")

Level = Literal["high", "possible"]
Subject = Literal["any", "self"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PatternSpec(_Strict):
    """One risk pattern as written in the file."""

    category: str
    regex: str
    subject: Subject = "self"
    negative: bool = False
    clinical_sensitive: bool = False
    topic_sensitive: bool = False


class NegationSpec(_Strict):
    """What counts as a negation before (and just after) a match."""

    window: int = Field(ge=1, le=20)
    cues: list[str] = Field(min_length=1)
    boundaries: list[str]
    breakers: list[str]
    raising_verbs: list[str]
    after: str


class SubjectsSpec(_Strict):
    """Word lists for deciding whom a match is about."""

    first_person: list[str] = Field(min_length=1)
    other: list[str] = Field(min_length=1)
    reporting: list[str]


class CueField(_Strict):
    """A field of cue words and the weight each match adds."""

    weight: float = Field(gt=0, le=5)
    regex: str


class CueScoringSpec(_Strict):
    """The fallback scorer for sentences no pattern caught."""

    threshold: float = Field(gt=0)
    fields: list[CueField] = Field(min_length=1)


class LexiconFile(_Strict):
    """The whole of `lexicon.yaml`."""

    categories: dict[str, Level] = Field(min_length=1)
    macros: dict[str, str]
    patterns: list[PatternSpec] = Field(min_length=1)
    idioms: list[str]
    negation: NegationSpec
    subjects: SubjectsSpec
    clinical_context: str
    clinical_objects: str
    topic_markers: str
    past_markers: str
    cue_scoring: CueScoringSpec


@dataclass(frozen=True)
class Pattern:
    """A compiled risk pattern."""

    category: str
    level: Level
    regex: re.Pattern[str]
    subject: Subject
    negative: bool
    clinical_sensitive: bool
    topic_sensitive: bool


@dataclass(frozen=True)
class Lexicon:
    """Everything `check_risk` needs, compiled."""

    patterns: tuple[Pattern, ...]
    idioms: tuple[re.Pattern[str], ...]
    negation_window: int
    negation_cues: re.Pattern[str]
    negation_boundaries: frozenset[str]
    negation_breakers: tuple[re.Pattern[str], ...]
    raising_verbs: frozenset[str]
    negation_after: re.Pattern[str]
    first_person: frozenset[str]
    other_person: frozenset[str]
    reporting: frozenset[str]
    clinical_context: re.Pattern[str]
    clinical_objects: re.Pattern[str]
    topic_markers: re.Pattern[str]
    past_markers: re.Pattern[str]
    cue_threshold: float
    cue_fields: tuple[tuple[float, re.Pattern[str]], ...]


def _expand(regex: str, macros: dict[str, str], origin: Path, key: str) -> str:
    for _ in range(5):  # macros may use macros
        if not _MACRO.search(regex):
            return regex

        def splice(found: re.Match[str]) -> str:
            name = found.group(1)
            if name not in macros:
                raise DataFileError(origin, key, f"unknown macro %{name}%")
            return macros[name]

        regex = _MACRO.sub(splice, regex)
    raise DataFileError(origin, key, "macros nest too deep")


def _compile(regex: str, origin: Path, key: str, *, bounded: bool = True) -> re.Pattern[str]:
    wrapped = rf"(?<![\w-])(?:{regex})(?![\w-])" if bounded else regex
    try:
        return re.compile(wrapped)
    except re.error as exc:
        raise DataFileError(origin, key, f"not a valid regular expression ({exc})") from exc


def _alternation(phrases: list[str]) -> str:
    """One regex matching any of the literal phrases, longest first."""
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


def _pattern(spec: PatternSpec, index: int, data: LexiconFile, origin: Path) -> Pattern:
    key = f"patterns[{index}]"
    if spec.category not in data.categories:
        raise DataFileError(origin, f"{key}.category", f"unknown category {spec.category!r}")
    regex = _expand(spec.regex, data.macros, origin, f"{key}.regex")
    return Pattern(
        category=spec.category,
        level=data.categories[spec.category],
        regex=_compile(regex, origin, f"{key}.regex"),
        subject=spec.subject,
        negative=spec.negative,
        clinical_sensitive=spec.clinical_sensitive,
        topic_sensitive=spec.topic_sensitive,
    )


def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """Read, check and compile a lexicon file; DataFileError names the file and key if it is wrong."""
    data = validate_model(LexiconFile, read_yaml(path), path)
    neg, subj = data.negation, data.subjects
    return Lexicon(
        patterns=tuple(_pattern(p, i, data, path) for i, p in enumerate(data.patterns)),
        idioms=tuple(_compile(r, path, f"idioms[{i}]") for i, r in enumerate(data.idioms)),
        negation_window=neg.window,
        negation_cues=_compile(_alternation(neg.cues), path, "negation.cues"),
        negation_boundaries=frozenset(neg.boundaries),
        negation_breakers=tuple(
            _compile(r, path, f"negation.breakers[{i}]") for i, r in enumerate(neg.breakers)
        ),
        raising_verbs=frozenset(neg.raising_verbs),
        negation_after=_compile(neg.after, path, "negation.after", bounded=False),
        first_person=frozenset(subj.first_person),
        other_person=frozenset(subj.other),
        reporting=frozenset(subj.reporting),
        clinical_context=_compile(data.clinical_context, path, "clinical_context"),
        clinical_objects=_compile(data.clinical_objects, path, "clinical_objects", bounded=False),
        topic_markers=_compile(
            rf"(?<![\w-])(?:{data.topic_markers})", path, "topic_markers", bounded=False
        ),
        past_markers=_compile(data.past_markers, path, "past_markers"),
        cue_threshold=data.cue_scoring.threshold,
        cue_fields=tuple(
            (f.weight, _compile(f.regex, path, f"cue_scoring.fields[{i}].regex"))
            for i, f in enumerate(data.cue_scoring.fields)
        ),
    )


@cache
def lexicon() -> Lexicon:
    """The built-in lexicon, loaded once per process."""
    return load_lexicon()
