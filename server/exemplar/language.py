"""The exemplar mentor's words: saying back what the mentee said, in the mentee's own words.

Pure text functions. A reflection is built from a clause of the mentee's reply turned into the
second person ("I can't sleep" -> "you can't sleep"), framed simply ("So ...") or as a guess at the
feeling or meaning under it ("It sounds like ..., and that's left you feeling ..."). Several
phrasings are offered for each move; the policy keeps the first one the coder reads as intended.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from server import language as shared

_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_CLAUSE_BREAK = re.compile(
    r"\s*(?:;|:|\s[-–—]\s|,\s*(?=(?:and|but|so|because|then|which|although|though|or)\b))\s*"
)
_LEAD = re.compile(
    r"^(?:(?:and|but|so|or|because|then|well|yes|yeah|no|okay|ok|right|oh|sorry|anyway|"
    r"honestly|basically|actually|mostly|obviously|also|just|still|really|literally|"
    r"to be honest|if i'm honest|in fact|i mean|i think|i suppose|i guess|you know|"
    r"the thing is|the real thing is|the truth is)\b[\s,]*)+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z']+")
_SECOND_PERSON_IN_SOURCE = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "but",
        "or",
        "so",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "about",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "it's",
        "that",
        "this",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "him",
        "i",
        "me",
        "my",
        "you",
        "your",
        "we",
        "our",
        "us",
        "not",
        "no",
        "do",
        "does",
        "did",
        "don't",
        "didn't",
        "can",
        "can't",
        "could",
        "would",
        "should",
        "will",
        "just",
        "have",
        "has",
        "had",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "you're",
        "you've",
        "you'd",
        "you'll",
        "what",
        "which",
        "who",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "some",
        "more",
        "most",
        "very",
        "really",
        "much",
        "one",
        "out",
        "up",
        "if",
        "then",
        "than",
        "too",
        "also",
        "get",
        "got",
        "like",
    ]
)

# Words in a reply that point at a feeling, and the feeling a complex reflection names.
FEELING_CUES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), feeling)
    for pattern, feeling in (
        (
            r"\b(?:suicid\w*|kill(?:ing)? myself|end(?:ing)? (?:it|my life)|not (?:to )?be here)",
            "in real pain",
        ),
        (r"\b(?:scar\w*|frighten\w*|afraid|terrif\w*|dread\w*|panic\w*)", "frightened"),
        (r"\b(?:alone|lonely|isolat\w*|nobody|no one|cut off|on my own)", "alone with it"),
        (r"\b(?:guilt\w*|let (?:\w+ )?down|letting (?:\w+ )?down|fault)", "guilty"),
        (
            r"\b(?:ashamed|shame|embarrass\w*|humiliat\w*|weak link|failure|failed|useless)",
            "ashamed",
        ),
        (r"\b(?:angry|anger|furious|unfair|resent\w*|livid|fed up)", "angry"),
        (r"\b(?:tired|exhaust\w*|shattered|wiped|drained|worn|sleep\w*|knackered)", "worn out"),
        (r"\b(?:worr\w*|anxious|nervous|stress\w*|on edge)", "worried"),
        (r"\b(?:stuck|trapped|no way out|going round)", "stuck"),
        (
            r"\b(?:doubt\w*|good enough|cut out|imposter|impostor|not sure i can)",
            "unsure of yourself",
        ),
        (r"\b(?:hurt\w*|upset\w*|cried|crying|tears)", "hurt"),
        (r"\b(?:overwhelm\w*|too much|drowning|swamped|can't keep up)", "overwhelmed"),
        (r"\b(?:sad|grief|griev\w*|loss|lost|died|death|miss\w*)", "sad"),
        (r"\b(?:empty|hollow|numb|flat|pointless|no point)", "empty"),
    )
)


def second_person(text: str) -> str:
    """Say back in the second person: "I was tired" -> "you were tired"."""
    return shared.second_person(text.replace("’", "'")).strip()


_BACKCHANNEL = re.compile(
    r"^(?:yes|yeah|yep|mm+|okay|ok|right|sure|fine|thanks|thank you|maybe|i mean|"
    r"that's (?:it|about right|fair|pretty much it|right|true)|that sums it up|hearing it back|"
    r"when you put it|i don't know|i'm not sure|good question|honestly|it's complicated|"
    r"i'd rather not|it's hard to put|not really|sort of|a bit|i suppose so)\b",
    re.IGNORECASE,
)


def is_backchannel(sentence: str) -> bool:
    """A short sentence that only confirms, hedges or fills ("Yes, that's it.")."""
    return len(sentence.split()) <= 8 and _BACKCHANNEL.match(sentence.strip()) is not None


def sentences(text: str) -> list[str]:
    """The sentences of a reply that say something (back-channel and hedges left out)."""
    found = [s.strip() for s in _SENTENCE.findall(text.replace("’", "'")) if s.strip()]
    return [s for s in found if not is_backchannel(s)]


def clauses(text: str) -> list[str]:
    """The clauses of a reply, without end punctuation or leading fillers ("honestly, ...")."""
    out: list[str] = []
    for sentence in sentences(text):
        if sentence.endswith("?"):
            continue
        for part in _CLAUSE_BREAK.split(sentence.rstrip(".!?")):
            part = _LEAD.sub("", part.strip(" ,\"'")).strip(" ,\"'")
            part = _TRAIL.sub("", part).strip(" ,\"'")
            if part:
                out.append(part)
    return out


_TRAIL = re.compile(
    r"[\s,]*(?:to be honest|i suppose|i think|i guess|honestly|really|if i'm honest|"
    r"if i'm being honest|you know|or something)$",
    re.IGNORECASE,
)
_SUBJECT = re.compile(
    r"^(?:you|your|it|it's|there|there's|they|they're|their|she|she's|he|he's|her|his|we|"
    r"everyone|everybody|everything|nothing|nobody|no one|someone|somebody|the|this|that|these|"
    r"those|what|all|both|each|every|my|our|people|work|home|i)\b",
    re.IGNORECASE,
)
_SUBORDINATE = re.compile(
    r"^(?:which|when|because|like|instead|rather|than|as|while|whereas|unless|until|if|"
    r"though|although|who|whom|whose|where|then|after|before|since|with|without|for)\b",
    re.IGNORECASE,
)


_ANY_SUBJECT = re.compile(
    r"\b(?:you|you're|you've|you'll|you'd|it|it's|there|there's|they|they're|she|she's|he|"
    r"he's|we|everyone|everybody|everything|nothing|nobody|someone|i)\b",
    re.IGNORECASE,
)


def is_fragment(clause: str) -> bool:
    """A clause without a subject of its own ("bone-deep shattered", "cut off")."""
    return _SUBJECT.match(clause) is None and _ANY_SUBJECT.search(clause) is None


def content_words(text: str) -> list[str]:
    """The words of `text` that carry meaning (not function words)."""
    return [w for w in (m.lower() for m in _WORD.findall(text)) if w not in _STOP and len(w) > 2]


def _score(clause: str) -> float:
    n = len(clause.split())
    content = len(content_words(clause))
    length = 0.0 if 4 <= n <= 18 else -3.0 if n > 18 else -2.0
    feeling = 1.5 if feeling_in(clause) else 0.0
    subordinate = -4.0 if _SUBORDINATE.match(clause) else 0.0
    fragment = -1.0 if is_fragment(clause) else 0.0
    return content + length + feeling + subordinate + fragment


def key_clause(text: str, avoid: Iterable[str] = ()) -> str | None:
    """The clause of a reply most worth saying back, in the second person; None if none fits.

    Prefers a clause of 4-18 words with most content and a feeling word, not already said back
    (`avoid`), and never one where the mentee speaks of "you" (it cannot be turned around).
    """
    seen = {a.lower() for a in avoid}
    pieces = [
        *clauses(text),
        *(_TRAIL.sub("", _LEAD.sub("", s.rstrip(".!?"))) for s in sentences(text)),
    ]
    options = [
        shorten(c)
        for c in dict.fromkeys(pieces)
        if not c.endswith("?")
        and not _SECOND_PERSON_IN_SOURCE.search(c)
        and not _SUBORDINATE.match(c)
        and (len(content_words(c)) >= 2 or (len(c.split()) <= 3 and feeling_in(c)))
        and (not is_fragment(c) or feeling_in(c))
    ]
    fresh = [c for c in options if second_person(c).lower() not in seen]
    if not fresh:
        return None
    best = max(fresh, key=lambda c: (_score(c), -options.index(c)))
    return _lower_first(second_person(best))


def shorten(clause: str, most: int = 16) -> str:
    """A long clause cut at its first comma (when what is left still says something)."""
    if len(clause.split()) <= most or "," not in clause:
        return clause
    head = clause.split(",")[0].strip()
    return head if len(content_words(head)) >= 2 else clause


def _lower_first(text: str) -> str:
    if text.startswith("I ") or text.startswith("I'"):
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """The text with a capital first letter."""
    return text[:1].upper() + text[1:]


def feeling_in(text: str) -> str | None:
    """The feeling a reply points at (for a complex reflection), or None."""
    for pattern, feeling in FEELING_CUES:
        if pattern.search(text):
            return feeling
    return None


def topic_phrase(text: str, topics: Iterable[str]) -> str | None:
    """A topic of the reply to ask about, as the mentee put it ("my sleep" -> "your sleep").

    `topics` are words the reply is known to be about (its story unit's topics); the first one
    found in the reply after a determiner is returned with it; None if none is.
    """
    plain = text.replace("’", "'").lower()
    for topic in topics:
        topic = topic.lower()
        if not re.search(rf"\b{re.escape(topic)}\b", plain):
            continue
        found = re.search(rf"\b(the|my|our|your)\s+((?:[a-z'-]+\s+)?){re.escape(topic)}\b", plain)
        if found is None:
            continue
        det = {"my": "your", "our": "your", "your": "my"}.get(found.group(1), found.group(1))
        middle = found.group(2)
        if middle.strip() in _STOP or "you" in middle:
            middle = ""
        return f"{det} {middle}{topic}"
    return None


def join_items(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def gerund_option(clause: str) -> str | None:
    """ "you could book your leave now" -> "booking your leave now" (for saying an option back
    without it sounding like advice); None when the clause is not of that shape."""
    match = re.match(
        r"^(?:maybe |perhaps )?(?:you|I) (?:could|can|might|would|'d|will|'ll)(?: also| actually"
        r"| just| probably| maybe| perhaps| even)* ([a-z]+(?:-[a-z]+)?)\b(.*)$",
        clause,
        re.IGNORECASE,
    )
    if match is None:
        return None
    verb, rest = match.group(1).lower(), match.group(2).split(",")[0]
    if len(rest.split()) > 10 and " and " in rest:
        rest = rest.split(" and ")[0]
    if verb in ("be", "have", "do", "get") and not rest.strip():
        return None
    return f"{ing(verb)}{rest}".strip()


_DOUBLE = frozenset(
    [
        "stop",
        "plan",
        "drop",
        "swap",
        "get",
        "put",
        "run",
        "set",
        "sit",
        "cut",
        "shut",
        "step",
        "chat",
        "refer",
    ]
)


def ing(verb: str) -> str:
    """The -ing form of a verb (regular spelling rules, a few doubled consonants)."""
    if "-" in verb:
        head, _, tail = verb.rpartition("-")
        return f"{head}-{ing(tail)}"
    if verb in ("be", "see", "agree", "free"):
        return f"{verb}ing"
    if verb == "ring":
        return "ringing"
    if verb in _DOUBLE and verb != "ring":
        return f"{verb}{verb[-1]}ing"
    if verb.endswith("ie"):
        return f"{verb[:-2]}ying"
    if verb.endswith("e") and not verb.endswith("ee"):
        return f"{verb[:-1]}ing"
    return f"{verb}ing"
