"""The coder's cue lexicons: YAML data files under `server/coding/lexicon/`, loaded once.

Each file is read strictly (pydantic models with `extra="forbid"`; a duplicate key or an unknown
field is an error naming the file), word lists from `words.yaml` are spliced into patterns written
as `%name%`, and every pattern is compiled once. `lexicon()` returns the cached result.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from server.coding.labels import Code
from server.datafiles import DataFileError, read_yaml
from server.frameworks.spec import Intent
from server.prefilter import LiteralIndex, required

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
_MACRO = re.compile(r"%([a-z_]+)%")
# A word as the spelling variants see it: a run of letters, digits and apostrophes.
VARIANT_WORD = re.compile(r"[\w']+")

_FILLERS = r"^(?:(?:%filler%)(?:[\s,.!;:-]+|$)|(?:%filler_punct%)(?:\s*[,.!;:-]+\s*|$))+"

# A weak topic-shift marker opening a segment's head ("Anyway, ...", "By the way ...").
_TOPIC_SHIFT = r"^(?:%topic_shift%)\b[\s,.!;:-]*"

Form = Literal["any", "question", "statement"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WordsFile(_Strict):
    """`words.yaml`: spelling variants and named word lists."""

    variants: dict[str, str]
    lists: dict[str, list[str]]

    @field_validator("variants")
    @classmethod
    def _one_word_each(cls, variants: dict[str, str]) -> dict[str, str]:
        """A variant is one word (letters, digits, apostrophes): `text.normalise` looks it up
        among the text's words."""
        for variant in variants:
            if not VARIANT_WORD.fullmatch(variant):
                raise ValueError(f"variant {variant!r} is not one word")
        return variants


class RuleSpec(_Strict):
    """One cue rule: a code (and detail) given to a segment when a pattern matches."""

    code: Code
    detail: str | None = None
    form: Form = "any"
    gate: str | None = Field(
        default=None, description="A cheap pattern that must match before the rule is tried."
    )
    patterns: list[str] = Field(min_length=1)


class CuesFile(_Strict):
    """`cues.yaml`: the ordered rules tried before and after the question form."""

    before_questions: list[RuleSpec]
    after_questions: list[RuleSpec]


class QuestionsFile(_Strict):
    """`questions.yaml`: what makes a segment a question, and open or closed."""

    interrogative: list[str]
    open: list[str]
    closed: list[str]
    open_after_closed: list[str]


class IntentsFile(_Strict):
    """`intents.yaml`: cue patterns for every stage intent, and their order of precedence."""

    order: list[Intent]
    cues: dict[Intent, list[str]]


class AdviceSuggestion(_Strict):
    pattern: str
    suggestion: str


class SuggestionsFile(_Strict):
    """`suggestions.yaml`: better moves to offer instead of advice or a roadblock."""

    advice: list[AdviceSuggestion] = Field(min_length=1)
    advice_with_permission: str
    roadblock: dict[str, str]
    brushed_feelings: dict[str, str]


class Rule(BaseModel):
    """A compiled cue rule.

    `pattern` is all its patterns as one regex; `parts` are the same patterns compiled one by one,
    each with its id in the lexicon's `cue_index` (and `gate_id` the gate's), so that a head is
    searched only with the patterns the index says could match it. `part_ids` are the parts' ids
    as a set: most heads have no candidate among them, which one set operation tells."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    code: Code
    detail: str | None
    form: Form
    gate: re.Pattern[str] | None
    pattern: re.Pattern[str]
    gate_id: int = -1
    parts: tuple[tuple[int, re.Pattern[str]], ...] = ()
    part_ids: frozenset[int] = frozenset()

    def matches(self, head: str, candidates: frozenset[int] | set[int] | None = None) -> bool:
        """The rule's gate (if any) and one of its patterns match `head`.

        `candidates` (from `Lexicon.cue_index.candidates(head)`): the ids of the patterns that
        could match it; the others cannot and are not searched. The answer is the same."""
        if candidates is None:
            if self.gate is not None and self.gate.search(head) is None:
                return False
            return self.pattern.search(head) is not None
        could = self.part_ids.intersection(candidates)
        if not could:
            return False
        if self.gate is not None and (
            self.gate_id not in candidates or self.gate.search(head) is None
        ):
            return False
        return any(part.search(head) is not None for i, part in self.parts if i in could)


class Lexicon(BaseModel):
    """Everything the coder matches with, compiled."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    variants: dict[str, str]
    variant_pattern: re.Pattern[str]
    variant_words: frozenset[str]  # the variants' keys, each one word (VARIANT_WORD)
    words: dict[str, frozenset[str]]
    words_ordered: dict[str, tuple[str, ...]]
    fillers: re.Pattern[str]
    topic_shift: re.Pattern[str]
    before_questions: tuple[Rule, ...]
    after_questions: tuple[Rule, ...]
    interrogative: re.Pattern[str]
    open_first: re.Pattern[str]
    closed: re.Pattern[str]
    open_after_closed: re.Pattern[str]
    intent_order: tuple[Intent, ...]
    intents: dict[Intent, re.Pattern[str]]
    intent_index: LiteralIndex  # over `intents`, in `intent_order`
    cue_index: LiteralIndex
    advice_suggestions: tuple[tuple[re.Pattern[str], str], ...]
    suggestions: SuggestionsFile


def _load(name: str, model: type[Any]) -> Any:
    path = LEXICON_DIR / name
    try:
        return model.model_validate(read_yaml(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise DataFileError(path, key, first["msg"]) from exc


def _expander(lists: dict[str, list[str]]) -> Any:
    def expand(pattern: str) -> str:
        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in lists:
                raise KeyError(name)
            return "(?:" + "|".join(lists[name]) + ")"

        return _MACRO.sub(one, pattern)

    return expand


def _compile_any(patterns: list[str], expand: Any, origin: str) -> re.Pattern[str]:
    """One pattern matching any of `patterns` (each checked on its own first, for a clear error)."""
    for pattern in patterns:
        _compile(pattern, expand, origin)
    return re.compile("|".join(f"(?:{expand(p)})" for p in patterns))


def _compile(pattern: str, expand: Any, origin: str) -> re.Pattern[str]:
    try:
        return re.compile(expand(pattern))
    except KeyError as exc:
        problem = f"unknown word list %{exc.args[0]}%"
        raise DataFileError(LEXICON_DIR / origin, pattern, problem) from exc
    except re.error as exc:
        raise DataFileError(
            LEXICON_DIR / origin, pattern, f"bad regular expression ({exc})"
        ) from exc


def _rules(specs: list[RuleSpec], expand: Any, ids: list[re.Pattern[str]]) -> tuple[Rule, ...]:
    """The compiled rules; every gate and pattern compiled alone is appended to `ids` (its
    position there is its id in the cue index)."""

    def filed(pattern: re.Pattern[str]) -> int:
        ids.append(pattern)
        return len(ids) - 1

    rules = []
    for spec in specs:
        gate = _compile(spec.gate, expand, "cues.yaml") if spec.gate else None
        parts = [_compile(p, expand, "cues.yaml") for p in spec.patterns]
        gate_id = filed(gate) if gate is not None else -1
        numbered = tuple((filed(part), part) for part in parts)
        rules.append(
            Rule(
                code=spec.code,
                detail=spec.detail,
                form=spec.form,
                gate=gate,
                pattern=re.compile("|".join(f"(?:{part.pattern})" for part in parts)),
                gate_id=gate_id,
                parts=numbered,
                part_ids=frozenset(i for i, _part in numbered),
            )
        )
    return tuple(rules)


@cache
def lexicon() -> Lexicon:
    """The compiled lexicon (read and compiled on the first call only)."""
    words: WordsFile = _load("words.yaml", WordsFile)
    cues: CuesFile = _load("cues.yaml", CuesFile)
    questions: QuestionsFile = _load("questions.yaml", QuestionsFile)
    intents: IntentsFile = _load("intents.yaml", IntentsFile)
    suggestions: SuggestionsFile = _load("suggestions.yaml", SuggestionsFile)
    expand = _expander(words.lists)
    intent_patterns = {
        intent: _compile_any(patterns, expand, "intents.yaml")
        for intent, patterns in intents.cues.items()
    }
    cue_patterns: list[re.Pattern[str]] = []
    before = _rules(cues.before_questions, expand, cue_patterns)
    after = _rules(cues.after_questions, expand, cue_patterns)
    variant_alternatives = "|".join(re.escape(k) for k in sorted(words.variants, key=len)[::-1])
    return Lexicon(
        variants=words.variants,
        variant_pattern=re.compile(rf"(?<![\w'])(?:{variant_alternatives})(?![\w'])"),
        variant_words=frozenset(words.variants),
        words={name: frozenset(items) for name, items in words.lists.items()},
        words_ordered={name: tuple(items) for name, items in words.lists.items()},
        fillers=_compile(_FILLERS, expand, "words.yaml"),
        topic_shift=_compile(_TOPIC_SHIFT, expand, "words.yaml"),
        before_questions=before,
        after_questions=after,
        interrogative=_compile_any(questions.interrogative, expand, "questions.yaml"),
        open_first=_compile_any(questions.open, expand, "questions.yaml"),
        closed=_compile_any(questions.closed, expand, "questions.yaml"),
        open_after_closed=_compile_any(questions.open_after_closed, expand, "questions.yaml"),
        intent_order=tuple(intents.order),
        intents=intent_patterns,
        intent_index=LiteralIndex([required(intent_patterns[i]) for i in intents.order]),
        cue_index=LiteralIndex([required(pattern) for pattern in cue_patterns]),
        advice_suggestions=tuple(
            (_compile(item.pattern, expand, "suggestions.yaml"), item.suggestion)
            for item in suggestions.advice
        ),
        suggestions=suggestions,
    )
