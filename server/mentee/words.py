"""Word matching for the mentee: content words, crude stems, feeling families, topic hits.

Small and deterministic on purpose: the mentee needs to know whether a mentor's words are about
what it said (a reflection that lands, a question about a topic), not to understand language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "hadn't",
        "has",
        "hasn't",
        "have",
        "haven't",
        "having",
        "he",
        "he'd",
        "he'll",
        "he's",
        "her",
        "here",
        "here's",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "how's",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it's",
        "its",
        "itself",
        "let's",
        "me",
        "more",
        "most",
        "mustn't",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "ought",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "shan't",
        "she",
        "she'd",
        "she'll",
        "she's",
        "should",
        "shouldn't",
        "so",
        "some",
        "such",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "there's",
        "these",
        "they",
        "they'd",
        "they'll",
        "they're",
        "they've",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "wasn't",
        "we",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "were",
        "weren't",
        "what",
        "what's",
        "when",
        "when's",
        "where",
        "where's",
        "which",
        "while",
        "who",
        "who's",
        "whom",
        "why",
        "why's",
        "with",
        "won't",
        "would",
        "wouldn't",
        "you",
        "you'd",
        "you'll",
        "you're",
        "you've",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "just",
        "really",
        "quite",
        "bit",
        "lot",
        "lots",
        "thing",
        "things",
        "something",
        "anything",
        "everything",
        "stuff",
        "kind",
        "sort",
        "like",
        "feel",
        "feeling",
        "feels",
        "felt",
        "sound",
        "sounds",
        "sounding",
        "seem",
        "seems",
        "seemed",
        "hear",
        "hearing",
        "heard",
        "say",
        "saying",
        "said",
        "mean",
        "means",
        "tell",
        "telling",
        "told",
        "think",
        "thinking",
        "thought",
        "get",
        "getting",
        "got",
        "go",
        "going",
        "gone",
        "make",
        "making",
        "made",
        "know",
        "knowing",
        "well",
        "right",
        "okay",
        "ok",
        "yes",
        "yeah",
        "oh",
        "um",
        "mm",
        "hmm",
        "so",
        "now",
        "then",
        "much",
        "many",
        "still",
        "even",
        "way",
        "ways",
        "time",
        "times",
        "see",
        "seeing",
        "want",
        "wanting",
        "wanted",
        "need",
        "needs",
        "needed",
        "sure",
        "maybe",
        "perhaps",
        "actually",
        "honestly",
        "little",
        "big",
        "one",
        "ones",
        "two",
        "also",
        "else",
        "other",
        "another",
    ]
)

# Words that name the same feeling: a reflection may use its own word for what was said.
FEELING_FAMILIES: dict[str, tuple[str, ...]] = {
    "tired": (
        "tired",
        "exhausted",
        "shattered",
        "knackered",
        "drained",
        "worn",
        "wiped",
        "fatigued",
        "weary",
        "burnt",
        "burned",
        "burnout",
        "sleep",
        "sleeping",
        "wrung",
    ),
    "anxious": (
        "anxious",
        "worried",
        "worry",
        "worrying",
        "scared",
        "afraid",
        "frightened",
        "nervous",
        "panic",
        "dread",
        "dreading",
        "fear",
        "terrified",
        "anxiety",
    ),
    "angry": (
        "angry",
        "annoyed",
        "frustrated",
        "frustrating",
        "furious",
        "cross",
        "irritated",
        "resentful",
        "resentment",
        "fed",
    ),
    "sad": (
        "sad",
        "low",
        "down",
        "miserable",
        "upset",
        "unhappy",
        "gutted",
        "depressed",
        "tearful",
        "crying",
        "cried",
    ),
    "guilty": ("guilty", "guilt", "ashamed", "shame", "embarrassed", "letting"),
    "stuck": ("stuck", "trapped", "lost", "hopeless", "helpless", "powerless", "pointless"),
    "overwhelmed": (
        "overwhelmed",
        "swamped",
        "drowning",
        "stretched",
        "pressure",
        "stressed",
        "stress",
        "overloaded",
        "too",
    ),
    "alone": ("alone", "lonely", "isolated", "cut", "unsupported", "nobody", "invisible"),
    "doubt": (
        "doubt",
        "doubting",
        "inadequate",
        "failing",
        "failure",
        "useless",
        "imposter",
        "impostor",
        "enough",
        "confidence",
        "confident",
        "unsure",
    ),
}


def stem(word: str) -> str:
    """A crude stem: strip a common suffix, keep at most six letters."""
    word = word.lower().strip("'")
    for suffix in ("ingly", "ing", "edly", "ed", "ies", "es", "s", "ly", "'s", "'t"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:6]


def _family_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for family, members in FEELING_FAMILIES.items():
        for member in members:
            index[stem(member)] = family
    return index


FAMILY_OF = _family_index()


def tokens(text: str) -> list[str]:
    """Lower-case words, apostrophes kept inside words."""
    return _WORD.findall(text.lower().replace("’", "'"))


def content_stems(text: str) -> set[str]:
    """The stems of the content words of `text`, with feeling words mapped to their family."""
    return set(_content_stems(text))


@lru_cache(maxsize=32768)
def _content_stems(text: str) -> frozenset[str]:
    """Cached per text: scenario lines are stemmed again on every turn otherwise."""
    out: set[str] = set()
    for word in tokens(text):
        if word in STOPWORDS or len(word) < 3:
            continue
        s = stem(word)
        out.add(s)
        family = FAMILY_OF.get(s)
        if family:
            out.add(f"~{family}")
    return frozenset(out)


def stems_of(texts: Iterable[str]) -> set[str]:
    """The union of content stems of several texts."""
    out: set[str] = set()
    for text in texts:
        out |= _content_stems(text)
    return out


def topic_hit(topic: str, text_stems: set[str]) -> bool:
    """True if every content word of `topic` is in the text (a feeling word: or its family)."""
    wanted = [stem(w) for w in tokens(topic) if w not in STOPWORDS and len(w) >= 3]
    if not wanted:
        return False
    return all(
        w in text_stems or (w in FAMILY_OF and f"~{FAMILY_OF[w]}" in text_stems) for w in wanted
    )


def topic_score(topics: Iterable[str], text_stems: set[str]) -> int:
    """How many of `topics` the text mentions."""
    return sum(topic_hit(topic, text_stems) for topic in topics)


def overlap(said: set[str], heard: set[str]) -> int:
    """How many of the mentor's content stems (feeling families counted once) were heard."""
    plain = {s for s in said if not s.startswith("~")}
    families = {s for s in said if s.startswith("~")}
    hits = {s for s in plain if s in heard and FAMILY_OF.get(s) is None}
    hit_families = {f for f in families if f in heard}
    return len(hits) + len(hit_families)


def content_size(said: set[str]) -> int:
    """The number of distinct ideas in a stem set (a feeling word and its family count once)."""
    plain = {s for s in said if not s.startswith("~") and FAMILY_OF.get(s) is None}
    return len(plain) + len({s for s in said if s.startswith("~")})
