"""The risk check's concept layer: broad vocabularies combined inside a sentence.

The fixed patterns of `lexicon.yaml` catch the phrasings someone foresaw; this layer catches the
ones nobody did by composing concepts instead of matching phrases. `concepts.yaml` holds the
vocabularies (death and not existing, veiled wishes, desire, thought and intent, appraisal,
self-harm, means, plan markers, farewell, hopelessness, burden, collapse); the rules below say which
combinations inside one sentence count:

- a strong death phrase ("end it all", "sleep forever") alone -> high;
- a death word with a wish, a thought or plan, or an appraisal ("being dead would be easier") -> high;
- a veiled word ("disappear", "check out of everything") with a wish, thought or appraisal -> possible;
- self-harm (act, urge, tool, marks) -> high;
- a means or place (pills, propofol, rope, the cliffs) with a plan marker (saved, researched,
  keep going back to, enough to) -> high;
- preparation (a note in my bag, where my will is in case) -> high; a bare note or goodbye -> possible;
- hopelessness, burden, collapse ("I'm completely broken", "barely hanging on") -> possible.

A sentence counts only when the writer speaks: a first-person word in it, or a subject-less
fragment ("Can't go on", "Don't want to wake up"). A sentence addressed to "you" with no first
person (a mentor's question or reflection), a joke ("lol"), a generalisation ("thoughts of suicide
can be frightening") or a mundane target ("drowning in discharge summaries") does not. Every hit then
passes the same switches as a lexicon pattern in `check.py` (idiom, negation, whose risk, clinical).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from server.datafiles import DataFileError, read_yaml, validate_model
from server.safety.lexicon import Level

CONCEPTS_FILE = Path(__file__).resolve().parent / "concepts.yaml"

_FAMILIES = (
    "death_strong", "death", "veiled", "desire", "thought", "appraisal", "self_harm", "means",
    "means_transport", "plan", "resolve", "farewell", "hopeless", "burden", "collapse",
    "collapse_more", "fragment_start",
)  # fmt: skip
_SENTENCE = re.compile(r"[^.!?\n;]+[.!?\n;]*")
_TOKEN = re.compile(r"[a-z0-9&]+(?:[-'][a-z0-9]+)*")
_FIRST = frozenset({"i", "me", "my", "myself", "mine", "meself", "im", "ive", "id", "ill"})
_SECOND = frozenset({"you", "your", "yours", "yourself", "yourselves"})
_GENERIC = re.compile(
    r"(?<![\w-])(?:can be|is (?:very |really |so |quite )?common|are (?:very |really |so |quite )?"
    r"common|(?:many|most|lots of|a lot of|some) (?:people|doctors|trainees|of us)|it is (?:normal|"
    r"common|okay|ok) to|are (?:normal|understandable)|is (?:normal|understandable))(?![\w-])"
)
_ASKING = re.compile(
    r"^\W*(?:i (?:am )?(?:wonder|wondering|curious|would like to ask|need to ask|want to ask|have "
    r"to ask)|can i ask|may i ask|could i ask|let me ask|i am going to ask|would it be okay)"
)
_MUNDANE = re.compile(
    r"(?<![\w-])(?:rota|rotas|audit|audits|wifi|wi-fi|bleep|bleeps|printer|exams?|e-portfolio|"
    r"portfolio|deadlines?|paperwork|parking|traffic|emails?|admin|spreadsheet|ward round|"
    r"discharge summaries|half marathon|marathon|gym|run|night shift|on-call|heat|weather|"
    r"coffee|cuppa|queue|commute|train was|trains|the tube|it system|computer|password|"
    r"assignment|essay|dissertation|revision|revising|football|match|the game|presentation|"
    r"grand round|interview|panto|quiz|hangover|hungover)(?![\w-])"
)
_WORLD_START = re.compile(r"(?:everything|it all|life|nothing|all of it|the future)\b")
TRIVIAL = re.compile(
    r"(?<![\w-])(?:wifi|wi-fi|printer|parking|car parking|permit|password|it system|computer|"
    r"e-portfolio|spreadsheet|coffee machine|coffee|cuppa|queue|traffic|heat|weather|panto|quiz|"
    r"football|the match|marathon|half marathon|gym|hangover|hungover|deadlines|bleep|"
    r"vending machine|sat nav|satnav|the tube|the trains?|bus was|train was|my team|lost again|"
    r"the result|laptop|phone|charger|lanyard|sourdough|away day|the meeting|this meeting)(?![\w-])"
)
HYPERBOLE = re.compile(
    r"(?<![\w-])(?:if (?:this|that|the|i have to|i hear|i see|i get|i do|they|he|she|one more)|"
    r"one more (?:time|email|bleep|meeting))(?![\w-])"
)
JOKE = re.compile(
    r"(?<![\w-])(?:lol|lolol|haha\w*|ha|hah|lmao|lmfao|rofl|jk|joking|kidding|only joking|xd)"
    r"(?![\w-])|[\U0001F602\U0001F923\U0001F605\U0001F606]"
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConceptsFile(_Strict):
    """The whole of `concepts.yaml`."""

    families: dict[str, list[str]] = Field(min_length=1)


@dataclass(frozen=True)
class ConceptHit:
    """One rule firing in one sentence: the span it covers and how to judge it."""

    category: str
    level: Level
    start: int
    end: int
    clinical_sensitive: bool = False
    negative: bool = False
    topic_sensitive: bool = False
    subject: str = "any"


@dataclass(frozen=True)
class Concepts:
    """The compiled families."""

    families: dict[str, re.Pattern[str]]


def load_concepts(path: Path = CONCEPTS_FILE) -> Concepts:
    """Read, check and compile a concepts file; DataFileError names the file and key if wrong."""
    data = validate_model(ConceptsFile, read_yaml(path), path)
    missing = [name for name in _FAMILIES if name not in data.families]
    if missing:
        raise DataFileError(path, "families", f"missing {', '.join(missing)}")
    compiled: dict[str, re.Pattern[str]] = {}
    for name, alternatives in data.families.items():
        joined = "|".join(f"(?:{a})" for a in alternatives)
        try:
            compiled[name] = re.compile(rf"(?<![\w-])(?:{joined})(?![\w-])")
        except re.error as exc:
            raise DataFileError(path, f"families.{name}", f"not a valid regex ({exc})") from exc
    return Concepts(families=compiled)


@cache
def concepts() -> Concepts:
    """The built-in concepts, loaded once per process."""
    return load_concepts()


def concept_hits(norm: str, could: frozenset[str] | None = None) -> list[ConceptHit]:
    """Every rule that fires in a normalised text, sentence by sentence.

    `could` names the families that could match somewhere in norm (the others are known not to,
    see `check._screen`); None runs them all. With no family that can fire a rule alone or in a
    combination, nothing can fire and the sentences are not looked at.
    """
    fam = concepts().families
    if could is not None:
        if not can_fire(could):
            return []
        fam = {
            name: regex for name, regex in fam.items() if name in could or name == "fragment_start"
        }
    hits: list[ConceptHit] = []
    for sentence in _SENTENCE.finditer(norm):
        text = sentence.group(0)
        if _speaks_for_writer(fam, text) and not _sentence_off(text):
            hits += [
                ConceptHit(h.category, h.level, h.start + sentence.start(), h.end + sentence.start(),
                           h.clinical_sensitive, h.negative, h.topic_sensitive, h.subject)
                for h in _rules(fam, text)
            ]  # fmt: skip
    return hits


_ALONE = frozenset({"death_strong", "self_harm", "resolve", "farewell", "hopeless", "burden",
                    "collapse", "collapse_more"})  # fmt: skip
_WISH_OR_INTENT = frozenset({"desire", "appraisal", "thought", "plan"})


def can_fire(could: frozenset[str]) -> bool:
    """Whether any rule of `_rules` can fire when only the families in `could` match."""
    return bool(
        could & _ALONE
        or ({"death", "veiled"} & could and could & _WISH_OR_INTENT)
        or ("means" in could and {"plan", "thought"} & could)
        or ({"means_transport", "plan"} <= could)
    )


def _speaks_for_writer(fam: dict[str, re.Pattern[str]], sentence: str) -> bool:
    words = _TOKEN.findall(sentence)
    if any(w in _FIRST for w in words):
        return True
    if any(w in _SECOND for w in words):
        return False
    stripped = sentence.lstrip(" ,-\"'(")
    return bool(fam["fragment_start"].match(stripped)) or bool(_WORLD_START.match(stripped))


def _sentence_off(sentence: str) -> bool:
    words = set(_TOKEN.findall(sentence))
    if words & _SECOND and not words & _FIRST:
        return True  # a question or reflection addressed to someone else
    return asking_or_generic(sentence) or bool(JOKE.search(sentence))


def asking_or_generic(sentence: str, *, first_person_before: bool = False) -> bool:
    """A mentor's asking frame ("I'm wondering whether ...?"), or a generalisation ("thoughts of
    suicide can be frightening") not said of the writer (`first_person_before` rules that out)."""
    if sentence.rstrip().endswith("?") and _ASKING.match(sentence.lstrip()):
        return True
    return not first_person_before and bool(_GENERIC.search(sentence))


def _spans(regex: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in regex.finditer(text)]


def _rules(fam: dict[str, re.Pattern[str]], s: str) -> list[ConceptHit]:
    # A new rule or a new combination here must be added to `can_fire` too.
    found = {name: _spans(regex, s) for name, regex in fam.items() if name != "fragment_start"}
    for name in _FAMILIES:
        found.setdefault(name, [])  # a family screened out (see `concept_hits`) has no matches
    hits: list[ConceptHit] = []
    wish = found["desire"] or found["appraisal"]
    intent = found["thought"] or found["plan"]
    mundane = bool(_MUNDANE.search(s))
    if TRIVIAL.search(s):
        return []
    for a, b in found["death_strong"]:
        hits.append(ConceptHit("explicit suicidal ideation", "high", a, b))
    if wish or intent:
        for a, b in found["death"]:
            hits.append(ConceptHit("passive death wish", "high", a, b, clinical_sensitive=not wish))
        if not mundane:
            for a, b in found["veiled"]:
                hits.append(ConceptHit("veiled death wish", "possible", a, b))
    for a, b in found["self_harm"]:
        hits.append(ConceptHit("self-harm", "high", a, b, topic_sensitive=True))
    means = found["means"] or (found["means_transport"] if found["plan"] else [])
    marker = found["plan"] or found["thought"]
    if means and marker:
        a, b = min(means[0][0], marker[0][0]), max(means[0][1], marker[0][1])
        hits.append(ConceptHit("suicide plan or means", "high", a, b, clinical_sensitive=True))
    if len(found["resolve"]) >= 2 or (found["resolve"] and (found["means"] or found["death"])):
        a, b = found["resolve"][0]
        hits.append(ConceptHit("suicide plan or means", "high", a, b))
    elif found["resolve"]:
        a, b = found["resolve"][0]
        hits.append(ConceptHit("suicide plan or means", "possible", a, b, clinical_sensitive=True))
    for a, b in found["farewell"]:
        level: Level = "high" if (found["death"] or found["veiled"] or found["means"]
                                  or _strong_farewell(s[a:b]) or _secret(s)) else "possible"  # fmt: skip
        hits.append(
            ConceptHit("suicide plan or means", level, a, b, clinical_sensitive=level != "high")
        )
    if not mundane:
        for name, category in (("hopeless", "hopelessness"), ("burden", "burden"),
                               ("collapse", "not coping"), ("collapse_more", "not coping")):  # fmt: skip
            for a, b in found[name]:
                hits.append(ConceptHit(category, "possible", a, b, negative=True))
    return hits


_STRONG_FAREWELL = re.compile(
    r"in case|when i am gone|after i am gone|once i am gone|for when|insurance|affairs|loose ends|"
    r"giv\w* away|gave away|rehom|home for my|my will|anything happens to me"
)
_SECRET = re.compile(
    r"(?<![\w-])(?:quietly|secretly|in secret|final|last|for the last time|one last time|"
    r"who matter|in my (?:bag|pocket|drawer|locker|car|room|wallet)|under my (?:pillow|bed)|"
    r"for them to find|where they will find|in (?:the|a|my) (?:drawer|envelope|glovebox|glove box)|"
    r"to everyone|to each of|to my (?:kids|children|family|mum|dad|parents|partner|"
    r"wife|husband|boyfriend|girlfriend|sister|brother)|sorry|apolog\w*|forgive|explaining why)(?![\w-])"
)


def _strong_farewell(matched: str) -> bool:
    return bool(_STRONG_FAREWELL.search(matched))


def _secret(sentence: str) -> bool:
    return bool(_SECRET.search(sentence))
