"""Small shared word helpers: saying someone's words back in the second person, and word tokens.

Pure text functions used by the mentee, the scoring, the exemplar mentor and the self-mentoring
walk-through. `second_person` swaps first-person words for second-person ones ("I was tired" ->
"you were tired"); with `both_ways` it also swaps "you" back to "I" (for saying back words that
speak to the listener). Quoted speech inside a reply is left as it was said: in
`he says 'shall we'` the "we" is the consultant's, not the speaker's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

FIRST_TO_SECOND: Mapping[str, str] = {
    "i": "you",
    "i'm": "you're",
    "im": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "we": "you",
    "we're": "you're",
    "we've": "you've",
    "we'd": "you'd",
    "we'll": "you'll",
    "our": "your",
    "ours": "yours",
    "us": "you",
    "ourselves": "yourselves",
}
SECOND_TO_FIRST: Mapping[str, str] = {
    "you": "I",
    "your": "my",
    "yours": "mine",
    "yourself": "myself",
}
_BOTH_WAYS: Mapping[str, str] = {**FIRST_TO_SECOND, **SECOND_TO_FIRST}
# Verbs that change with the subject once it has become "you" ("I was" -> "you were").
_AFTER_YOU: Mapping[str, str] = {"was": "were", "wasn't": "weren't"}

_PIECE = re.compile(r"[A-Za-z'’]+|[^A-Za-z'’]+")
_NUMBER_END = re.compile(r"[0-9]\s*$")
# Quoted speech: "...", “...”, or '...' / ‘...’ opened before a letter and closed by a quote mark
# that no letter follows (so "Let's" and "nurses' room" neither open nor close one).
_QUOTED = re.compile(
    r"\"[^\"\n]*\"|“[^”\n]*”|(?<![A-Za-z0-9])['‘](?=[A-Za-z])[^\n]*?[^\s'‘]['’](?![A-Za-z])"
)

TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Function words that carry no content of their own (for matching words, not for saying back).
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "don't",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "him",
        "his",
        "how",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "it",
        "it's",
        "its",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "really",
        "she",
        "so",
        "some",
        "such",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yes",
        "yeah",
        "okay",
        "ok",
    ]
)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, apostrophes kept inside words (curly ones made straight)."""
    return TOKEN.findall(text.lower().replace("’", "'"))


def second_person(text: str, *, both_ways: bool = False) -> str:
    """`text` with its first-person words in the second person ("I'm scared" -> "you're scared").

    Case, spacing and punctuation are kept (a swapped word is written as the table has it);
    "am" becomes "are" unless it follows a number ("6 am"); "was" after a "you" becomes "were".
    With `both_ways`, "you" and "your" become "I" and "my" as well. Quoted speech is left alone
    (unless the whole text is one quotation).
    """
    spans = [m.span() for m in _QUOTED.finditer(text) if m.group() != text.strip()]
    out: list[str] = []
    start = 0
    for begin, end in spans:
        out.append(_swap(text[start:begin], both_ways))
        out.append(text[begin:end])
        start = end
    out.append(_swap(text[start:], both_ways))
    return "".join(out)


def _swap(text: str, both_ways: bool) -> str:
    table = _BOTH_WAYS if both_ways else FIRST_TO_SECOND
    out: list[str] = []
    previous = ""
    for piece in _PIECE.findall(text):
        lower = piece.lower().replace("’", "'")
        if lower == "am":
            swapped = piece if _NUMBER_END.search("".join(out)) else "are"
        elif previous == "you" and lower in _AFTER_YOU:
            swapped = _AFTER_YOU[lower]
        else:
            swapped = table.get(lower, piece)
        out.append(swapped)
        if piece[0].isalpha() or piece[0] in "'’":
            previous = swapped.lower()
    return "".join(out)
