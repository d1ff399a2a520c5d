"""Text normalisation for the risk check: one spelling for the many ways people type a phrase.

Lower case, straight quotes, contractions expanded ("can't" -> "can not", "I'm" -> "i am"),
common chat spellings ("wanna", "im", "cant", "whats"), Scots "-nae" ("cannae" -> "can not"), "any more" and "self-harm" in one form, single
spaces. Patterns in `lexicon.yaml` are written against this form.
"""

from __future__ import annotations

import re

from server.prefilter import LiteralIndex, required

_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u201c": '"',
     "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-"}
)  # fmt: skip

# Order matters: specific forms before the general "n't".
_REPLACEMENTS: tuple[tuple[str, str], ...] = (
    (r"\bcan'?t\b", "can not"),
    (r"\bcannot\b", "can not"),
    (r"\bwon'?t\b", "will not"),
    (r"\bshan'?t\b", "shall not"),
    (r"\bain'?t\b", "is not"),
    (
        r"\b(do|does|did|is|are|was|were|has|have|had|could|would|should|must|need|might)n'?t\b",
        r"\1 not",
    ),
    (r"\b(can|did|would|could|is|was|have|has|does|do|should|will|must)nae\b", r"\1 not"),
    (r"\bcanna\b", "can not"),
    (r"\b(what|that|there|everything|nothing)s\b", r"\1 is"),
    (r"\bi'?m\b", "i am"),
    (r"\bi'?ve\b", "i have"),
    (r"\bi'd\b", "i would"),
    (r"\bi'll\b", "i will"),
    (r"\b(you|we|they)'re\b", r"\1 are"),
    (r"\b(you|we|they|would|could|should|might|must)'ve\b", r"\1 have"),
    (r"\b(he|she|they|you|we|it|that|there|who)'d\b", r"\1 would"),
    (r"\b(he|she|they|you|we|it|that|there)'ll\b", r"\1 will"),
    (r"\b(it|that|what|there|here|life|everything|nothing|who|he|she|where|this)'s\b", r"\1 is"),
    (r"\b(let)'s\b", r"\1 us"),
    (r"\bwanna\b", "want to"),
    (r"\bgonna\b", "going to"),
    (r"\bgotta\b", "got to"),
    (r"\bdunno\b", "do not know"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\bcoz\b|\bcos\b|\bcuz\b", "because"),
    (r"\banymore\b", "any more"),
    (r"\bno-one\b", "no one"),
    (r"\bno one\b", "no one"),
    (r"\bself[\s-]*(harm|injur|mutilat)", r"self-\1"),
    (r"\bok(?:ay)?\b", "okay"),
    (r"\ball right\b|\balright\b", "alright"),
    (r"\bmeds\b", "meds"),
)
_COMPILED = tuple((re.compile(pattern), repl) for pattern, repl in _REPLACEMENTS)
# Which rules could change a text (see `prefilter.py`): most texts need few of them.
_NEEDS = tuple(required(regex) for regex, _repl in _COMPILED)
_RULES = LiteralIndex(list(_NEEDS))

# Single quotes used as quotation marks (not apostrophes) become double quotes.
_OPEN_QUOTE = re.compile(r"(^|[\s(\[:])'(?=\w)")
_CLOSE_QUOTE = re.compile(r"(?<=[\w.!?,])'(?=[\s.,!?;:)\]]|$)")
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z0-9&]+(?:[-'][a-z0-9]+)*|[^\sa-z0-9]")


def normalise(text: str) -> str:
    """The form the patterns are written against (see the module docstring)."""
    out = text.translate(_QUOTES).lower()
    if "'" in out:
        out = _OPEN_QUOTE.sub(r'\1"', out)
        out = _CLOSE_QUOTE.sub('"', out)
    todo = _RULES.candidates(out)
    changed = False
    for index, (pattern, repl) in enumerate(_COMPILED):
        if changed:  # a rule has changed the text: it may now hold what a later rule needs
            needs = _NEEDS[index]
            run = needs is None or any(map(out.__contains__, needs))
        else:
            run = index in todo
        if run:
            new = pattern.sub(repl, out)
            changed, out = changed or new != out, new
    return _SPACES.sub(" ", out).strip()


def tokens(text: str) -> list[str]:
    """Words and single punctuation marks, in order."""
    return _TOKEN.findall(text)
