"""Cheap guards for many regexes at once: literals at least one of which every match contains.

`required(regex)` reads the regex's syntax tree (at load time, once) and returns a set of plain
strings such that any match of the regex contains at least one of them, or None when no such set
can be told (a wildcard, a word class, an optional part). `LiteralIndex` takes one such set per
regex and names, for a text, every regex one of whose strings is in it: a regex it leaves out cannot
match anywhere in the text (nor in any slice of it), so skipping it changes no result. Most of the
lexicon's regexes start with a lookbehind, which stops Python's own literal prefix scan; the index
is what lets a turn with no risk word pass in microseconds. The risk check and the micro-skill
coder both screen their regexes with it.

`whole_words(regex)` goes one step further for a regex of the form `\b(?:a|b c|...)\b` (the risk
check's spelling rules): it returns the few strings it matches, so that the index can name such a
regex exactly, where one of them stands between non-word characters (a "u" inside "you" does not
count for `\bu\b`).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Any

import ahocorasick

_PARSER: Any = importlib.import_module("re._parser")
_MAX_SET = 64  # cap on the strings in one set (a product of alternations grows fast)
_MAX_CHARS = 12  # a character class larger than this is not spelt out
_BOUNDARY = "\x00"  # stands for a `\b` while `whole_words` spells a regex out

Strings = frozenset[str]


def required(regex: str | re.Pattern[str]) -> Strings | None:
    """Strings one of which every match of `regex` contains; None when none can be named."""
    source = regex.pattern if isinstance(regex, re.Pattern) else regex
    flags = regex.flags if isinstance(regex, re.Pattern) else 0
    if flags & re.IGNORECASE:
        return None
    tree = _PARSER.parse(source, flags)
    if tree.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    found = _Reader().sequence_info(list(tree))
    return _minimal(found) if found else None


def whole_words(regex: str | re.Pattern[str]) -> Strings | None:
    """The strings `regex` matches, when each of its matches is one of a few fixed strings with a
    `\\b` on either side (`\\bu\\b`, `\\bi'?m\\b`, `\\bcoz\\b|\\bcos\\b`) and each string begins and
    ends with a word character: it matches exactly where one of them stands between non-word
    characters (or the ends of the text). None for any other regex."""
    source = regex.pattern if isinstance(regex, re.Pattern) else regex
    flags = regex.flags if isinstance(regex, re.Pattern) else 0
    tree = _PARSER.parse(source, flags)
    if tree.state.flags & (re.IGNORECASE | re.VERBOSE | re.ASCII | re.LOCALE):
        return None
    marked = _BoundaryReader().sequence_exact(list(tree))
    if not marked:
        return None
    words = {s[1:-1] for s in marked}
    if not all(
        len(s) > 2 and s[0] == s[-1] == _BOUNDARY and _BOUNDARY not in s[1:-1] for s in marked
    ) or not all(_is_word_char(w[0]) and _is_word_char(w[-1]) for w in words):
        return None
    return frozenset(words)


def _is_word_char(char: str) -> bool:
    """What `\\w` matches in a str pattern (Unicode alphanumerics and the underscore)."""
    return char.isalnum() or char == "_"


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has a non-word character (or an end of the text) on either side."""
    return (start == 0 or not _is_word_char(text[start - 1])) and (
        end == len(text) or not _is_word_char(text[end])
    )


def _minimal(strings: Iterable[str]) -> Strings:
    """Drop every string that contains another one of the set (it adds nothing to an any-test)."""
    kept: list[str] = []
    for s in sorted(set(strings), key=len):
        if not any(map(s.__contains__, kept)):
            kept.append(s)
    return frozenset(kept)


def _better(a: Strings | None, b: Strings | None) -> Strings | None:
    """The more selective of two necessary sets: the longer shortest string, then fewer strings."""
    if a is None:
        return b
    if b is None:
        return a
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b


def _product(a: Strings, b: Strings) -> Strings | None:
    if len(a) * len(b) > _MAX_SET:
        return None
    return frozenset(x + y for x in a for y in b)


def _name(op: object) -> str:
    return str(op)


class _Reader:
    """Reads one parsed regex; remembers each node's exact set (a node is asked many times)."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, int], Strings | None] = {}

    def exact(self, op: object, av: Any) -> Strings | None:
        """Every string this element can consume, when that is a small finite set; else None."""
        if isinstance(av, int) or av is None:
            return self._exact(op, av)
        key = (_name(op), id(av))  # the node's own list or tuple, alive while the tree is
        if key not in self._memo:
            self._memo[key] = self._exact(op, av)
        return self._memo[key]

    def _exact(self, op: object, av: Any) -> Strings | None:
        name = _name(op)
        if name == "LITERAL":
            return frozenset({chr(av)})
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            return frozenset({""})  # zero width: consumes nothing
        if name == "IN":
            chars: set[str] = set()
            for item_op, item_av in av:
                item = _name(item_op)
                if item == "LITERAL":
                    chars.add(chr(item_av))
                elif item == "RANGE" and item_av[1] - item_av[0] < _MAX_CHARS:
                    chars.update(chr(c) for c in range(item_av[0], item_av[1] + 1))
                else:
                    return None  # NEGATE, CATEGORY, a wide range
            return frozenset(chars) if len(chars) <= _MAX_CHARS else None
        if name == "SUBPATTERN":
            _group, add_flags, _del_flags, sub = av
            return None if add_flags & re.IGNORECASE else self.sequence_exact(list(sub))
        if name == "ATOMIC_GROUP":
            return self.sequence_exact(list(av))
        if name == "BRANCH":
            out: set[str] = set()
            for sub in av[1]:
                branch = self.sequence_exact(list(sub))
                if branch is None:
                    return None
                out |= branch
            return frozenset(out) if len(out) <= _MAX_SET else None
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            once = self.sequence_exact(list(sub))
            if once is None or high > 1:
                return None
            return once if low == 1 else once | {""}
        return None

    def sequence_exact(self, items: list[tuple[object, Any]]) -> Strings | None:
        out: Strings | None = frozenset({""})
        for op, av in items:
            part = self.exact(op, av)
            if part is None or out is None:
                return None
            out = _product(out, part)
        return out

    def info(self, op: object, av: Any) -> Strings | None:
        """A necessary set for one element: one of these strings is inside whatever it consumes."""
        exact = self.exact(op, av)
        if exact is not None:
            return None if "" in exact else exact
        name = _name(op)
        if name == "SUBPATTERN":
            _group, add_flags, _del_flags, sub = av
            return None if add_flags & re.IGNORECASE else self.sequence_info(list(sub))
        if name == "ATOMIC_GROUP":
            return self.sequence_info(list(av))
        if name == "BRANCH":
            out: set[str] = set()
            for sub in av[1]:
                branch = self.sequence_info(list(sub))
                if branch is None:
                    return None
                out |= branch
            return frozenset(out)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = av
            return self.sequence_info(list(sub)) if low >= 1 else None
        return None

    def sequence_info(self, items: list[tuple[object, Any]]) -> Strings | None:
        """The best necessary set of a sequence: a run of exact parts spelt out, or one part's set."""
        best: Strings | None = None
        run: Strings = frozenset({""})

        def close(current: Strings) -> Strings | None:
            return None if "" in current else current

        for op, av in items:
            exact = self.exact(op, av)
            if exact is not None:
                joined = _product(run, exact)
                if joined is not None:
                    run = joined
                    continue
                best = _better(best, close(run))
                run = exact
                continue
            best = _better(best, close(run))
            best = _better(best, self.info(op, av))
            run = frozenset({""})
        return _better(best, close(run))


class _BoundaryReader(_Reader):
    """Reads a `\\b` as the character `_BOUNDARY`, and any other zero-width element as unreadable."""

    def _exact(self, op: object, av: Any) -> Strings | None:
        name = _name(op)
        if name == "AT":
            return frozenset({_BOUNDARY}) if _name(av) == "AT_BOUNDARY" else None
        if name in ("ASSERT", "ASSERT_NOT"):
            return None
        return super()._exact(op, av)


class LiteralIndex:
    """Many guarded regexes screened at once: which of them could match a text.

    Built from one necessary set per regex (None: always a candidate). `candidates(text)` returns
    the ids of every regex one of whose strings is in text; a regex left out cannot match anywhere
    in it. All the strings go into one Aho-Corasick automaton (pyahocorasick), which finds every
    one of them in a text in a single pass in C: about 5 microseconds for a 50-character sentence
    against the coder's 4,700 strings. The ids in `words` are of regexes whose strings are their
    `whole_words`: those count only where a string stands between non-word characters.
    """

    def __init__(self, needs: list[Strings | None], words: Iterable[int] = ()) -> None:
        owners: dict[str, set[int]] = {}
        word_owners: dict[str, set[int]] = {}
        always: set[int] = set()
        by_word = frozenset(words)
        for index, strings in enumerate(needs):
            if strings is None:
                always.add(index)
                continue
            for literal in strings:
                (word_owners if index in by_word else owners).setdefault(literal, set()).add(index)
        self._always = frozenset(always)
        self._words = bool(word_owners)
        self._automaton: Any = ahocorasick.Automaton()
        for literal in owners.keys() | word_owners.keys():
            anywhere = frozenset(owners.get(literal, ()))
            if self._words:  # (ids anywhere, ids as a whole word, length)
                as_word = frozenset(word_owners.get(literal, ()))
                self._automaton.add_word(literal, (anywhere, as_word, len(literal)))
            else:
                self._automaton.add_word(literal, anywhere)
        self._empty = not owners and not word_owners
        if not self._empty:
            self._automaton.make_automaton()

    def candidates(self, text: str) -> set[int]:
        """Ids of the regexes that could match somewhere in text."""
        found = set(self._always)
        if self._empty:
            return found
        if not self._words:
            for _end, ids in self._automaton.iter(text):
                found |= ids
            return found
        for end, (anywhere, as_word, size) in self._automaton.iter(text):
            found |= anywhere
            if as_word and _stands_alone(text, end + 1 - size, end + 1):
                found |= as_word
        return found
