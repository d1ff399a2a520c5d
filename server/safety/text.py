"""Text normalisation for the risk check: one spelling for the many ways people type a phrase.

Lower case, straight quotes, contractions expanded ("can't" -> "can not", "I'm" -> "i am"),
common chat spellings ("wanna", "im", "cant", "whats"), Scots "-nae" ("cannae" -> "can not"), "any more" and "self-harm" in one form, single
spaces. Patterns in `lexicon.yaml` are written against this form.
"""

from __future__ import annotations

import re

from server.prefilter import LiteralIndex, Strings, required, whole_words

# Curly quotes, primes and long dashes made plain (str.replace, one scan each: str.translate
# with a table is ten times slower). All are outside ASCII, so an ASCII text needs none of them;
# the backquote, which is ASCII, is made a plain quote separately.
_QUOTES = (
    ("\u2018", "'"), ("\u2019", "'"), ("\u201b", "'"), ("\u2032", "'"), ("\u201c", '"'),
    ("\u201d", '"'), ("\u201e", '"'), ("\u00ab", '"'), ("\u00bb", '"'), ("\u2013", "-"), ("\u2014", "-"),
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
# Most rules are a few words between `\b`s: they apply exactly where one of those words stands
# alone (see `prefilter.whole_words`); the others where a string they need is in the text.
_WORDS = tuple(whole_words(regex) for regex, _repl in _COMPILED)
_NEEDS = tuple(w or required(regex) for w, (regex, _repl) in zip(_WORDS, _COMPILED, strict=True))
_WORD_RULES = tuple(i for i, w in enumerate(_WORDS) if w)
# Which rules could change a text (see `prefilter.py`): most texts need none of them.
_RULES = LiteralIndex(list(_NEEDS), words=_WORD_RULES)

# Single quotes used as quotation marks (not apostrophes) become double quotes: an opening one
# after the start, a space or "([:" and before a word character, a closing one after a word
# character or ".!?," and before a space, ".,!?;:)]" or the end. Each regex starts with the quote
# itself (what comes before it is a lookbehind that includes it), so a search skips straight from
# one quote to the next.
_OPEN_QUOTE = re.compile(r"'(?<![^\s(\[:]')(?=\w)")
_CLOSE_QUOTE = re.compile(r"'(?<=[\w.!?,]')(?=[\s.,!?;:)\]]|$)")
_TOKEN = re.compile(r"[a-z0-9&]+(?:[-'][a-z0-9]+)*|[^\sa-z0-9]")


def normalise(text: str) -> str:
    """The form the patterns are written against (see the module docstring)."""
    if not text.isascii():
        for fancy, straight in _QUOTES:
            text = text.replace(fancy, straight)
    out = text.lower().replace("`", "'")
    if "'" in out:
        out = _OPEN_QUOTE.sub('"', out)
        out = _CLOSE_QUOTE.sub('"', out)
    return _squeezed(_rewritten(out))


def plain(text: str) -> str:
    """Lower case, single spaces, none at the ends: all `normalise` does to a text in which no
    string of `triggers()` is found (the common case: a few microseconds)."""
    return _squeezed(text.lower())


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def triggers() -> tuple[list[Strings | None], list[int]]:
    """What `plain(text)` holds whenever `normalise(text)` does more than `plain`: one set of
    strings per rule (at least one of them is in it when the rule applies), then one for the
    quotes and dashes, and the indices of the sets that count only as whole words.

    `plain` only lower-cases and turns runs of white space into one space (or none at the ends),
    so a string a rule needs in the lower-cased text is in `plain` with its own white space made
    single; a whole word stays one, since white space is not a word character.
    """
    quotes = {fancy for fancy, _straight in _QUOTES} | {"`", "'"}
    return [_squeezed_all(s) for s in _NEEDS] + [frozenset(quotes)], list(_WORD_RULES)


def _squeezed_all(strings: Strings | None) -> Strings | None:
    spaced = None if strings is None else frozenset(_squeezed(s) for s in strings)
    return None if spaced is None or "" in spaced else spaced


def _rewritten(text: str) -> str:
    """The replacement rules applied in order, each to the text the rules before it left. Only the
    rules the screen names for that text are run; after a change the text is screened again."""
    todo = sorted(_RULES.candidates(text))
    while todo:
        pattern, repl = _COMPILED[todo[0]]
        new = pattern.sub(repl, text)
        if new == text:
            todo = todo[1:]
        else:  # it may now hold what a later rule needs, or no longer hold it
            todo = [i for i in sorted(_RULES.candidates(new)) if i > todo[0]]
            text = new
    return text


def tokens(text: str) -> list[str]:
    """Words and single punctuation marks, in order."""
    return _TOKEN.findall(text)
