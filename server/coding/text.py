"""Cutting a mentor turn into segments, and normalising a segment for the cue patterns.

A segment is a sentence, or a question tacked onto a statement after a comma ("I'm sorry to
hear that, can you tell me more?"). Spans are [start, end) offsets into the original text, so a
code's evidence is always `text[start:end]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.coding.lexicon import VARIANT_WORD, Lexicon

# A sentence ends at . ! ? (or a run of them, closing quotes and brackets), before white space
# or the end; a line break always ends one. Abbreviations such as "Dr." do not end a sentence.
_SENTENCE = re.compile(r"[^\n]*?(?:[.!?\u2026]+[\"')\]]*(?=\s|$)|\n|$)")
_ABBREVIATION = re.compile(r"(?:\b(?:dr|mr|mrs|ms|prof|e\.g|i\.e|etc|vs|st|approx|no)\.)$", re.I)
_ABBREVIATION_TAIL = 8  # its longest match: "approx." before a final line break
# A question tacked on after a comma, semicolon or dash: ", what do you think?"
_TACKED_QUESTION = re.compile(
    r"[,;:\u2013\u2014-]\s+(?=(?:and |but |so )?(?:what|how|why|when|where|who|which|can you|could you"
    r"|would you|do you|did you|have you|are you|is there|is it|was it|were you|will you|shall we"
    r"|is that|does that|does it|tell me)\b)",
    re.I,
)
# A sentence that opens with a subordinate clause keeps its question whole ("If ..., what ...?").
_SUBORDINATE = re.compile(
    r"\s*(?:as|if|when|whenever|while|since|because|before|after|given|on|in|at|with|from|for|"
    r"although|though|once|now that|whatever|regarding|about|thinking|looking|suppose|imagine|"
    r"say|supposing|between|of)\b",
    re.I,
)
# Curly quotes and backticks made straight (str.replace, one scan each: str.translate with a
# table is ten times slower).
_QUOTES = (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("`", "'"))
# Stripped from a normalised segment's edges (white space there is only single spaces).
_LEADING_PUNCTUATION = " \"'([*_~-"
_TRAILING_PUNCTUATION = " \"')]*_~"
_SO = re.compile(r"\bso\b")
_WORD = re.compile(r"[a-z][a-z'-]+")


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence-like piece of a turn: its span, its normalised text, its head, its main clause."""

    start: int
    end: int
    norm: str
    head: str
    main: str
    question_mark: bool
    so_opening: bool


def normalise(text: str, lex: Lexicon) -> str:
    """Lower-case, straight quotes, single spaces, typos and American spellings rewritten."""
    for curly, straight in _QUOTES:
        text = text.replace(curly, straight)
    lowered = " ".join(text.lower().split())  # single spaces, none at the ends
    # A variant is one word and `variant_pattern` matches it only as a whole word (no letter,
    # digit or apostrophe on either side), so with none of them among the words there is nothing
    # to rewrite (most text).
    if lex.variant_words.isdisjoint(VARIANT_WORD.findall(lowered)):
        return lowered
    return lex.variant_pattern.sub(lambda m: lex.variants[m.group(0)], lowered)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE.finditer(text):
        end = match.end()
        if end == match.start() and end >= len(text):
            break
        if end < len(text) and _ends_with_abbreviation(text, start, end):
            continue
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _ends_with_abbreviation(text: str, start: int, end: int) -> bool:
    """text[start:end] ends with an abbreviation ("Dr."). Only its tail is searched: a word
    boundary at the search's start is judged by the character before it, as in the whole piece (at
    `start` that is the previous sentence's closing mark or nothing, never a letter)."""
    return _ABBREVIATION.search(text, max(start, end - _ABBREVIATION_TAIL), end) is not None


def _split_tacked_question(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """(start, end, head start) pieces: a question tacked on after a comma is its own piece,
    unless the sentence opens with a subordinate clause, which then only moves the head."""
    piece = text[start:end]
    if not piece.rstrip().endswith("?"):
        return [(start, end, start)]
    cut = None
    for match in _TACKED_QUESTION.finditer(piece):
        cut = match
    if cut is None or cut.start() < 8:
        return [(start, end, start)]
    if _SUBORDINATE.match(piece):
        return [(start, end, start + cut.end())]
    return [(start, start + cut.start() + 1, start), (start + cut.end(), end, start + cut.end())]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    leading = len(piece) - len(piece.lstrip())
    trailing = len(piece) - len(piece.rstrip())
    return start + leading, end - trailing


def spans(text: str) -> list[tuple[int, int, int]]:
    """The segments' (start, end, head start), trimmed of white space, empty ones dropped."""
    out: list[tuple[int, int, int]] = []
    for start, end in _sentence_spans(text):
        for piece_start, piece_end, head_start in _split_tacked_question(text, start, end):
            trimmed = _trim(text, piece_start, piece_end)
            if any(ch.isalnum() for ch in text[trimmed[0] : trimmed[1]]):
                out.append((*trimmed, max(head_start, trimmed[0])))
    return out


def _strip_edges(norm: str) -> str:
    """A normalised segment without the quotes, brackets, dashes and emphasis marks at its edges."""
    return norm.lstrip(_LEADING_PUNCTUATION).rstrip(_TRAILING_PUNCTUATION)


def _strip_fillers(norm: str, lex: Lexicon) -> str:
    filler = lex.fillers.match(norm)
    head = norm[filler.end() :] if filler else norm
    return head if any(ch.isalnum() for ch in head) else norm


def make_segment(
    text: str, start: int, end: int, lex: Lexicon, main_start: int | None = None
) -> Segment:
    """Normalise one span; find its head (the text after any opening fillers) and its main
    clause (the head, or what follows an opening subordinate clause: "Looking back, what ...?")."""
    norm = _strip_edges(normalise(text[start:end], lex))
    head = _strip_fillers(norm, lex)
    main = head
    if main_start is not None and main_start > start:
        main = _strip_fillers(_strip_edges(normalise(text[main_start:end], lex)), lex)
    leading = norm[: len(norm) - len(head)]
    return Segment(
        start=start,
        end=end,
        norm=norm,
        head=head,
        main=main,
        question_mark=text[start:end].rstrip().rstrip("\"')]").endswith("?"),
        so_opening=_SO.search(leading) is not None,
    )


def segments(text: str, lex: Lexicon) -> list[Segment]:
    """The turn cut into segments, in order."""
    return [make_segment(text, start, end, lex, head) for start, end, head in spans(text)]


def content_words(text: str, lex: Lexicon) -> set[str]:
    """Lower-case content words, crudely stemmed, for comparing a reflection with its context."""
    stop = lex.words["stopwords"]
    return {_stem(w) for w in _WORD.findall(text) if w not in stop and len(w) > 2}


def _stem(word: str) -> str:
    word = word.removesuffix("'s")
    for suffix in ("ing", "ed", "ly", "es", "s", "er"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word
