"""Word matching for the mentee: content words, crude stems, feeling families, topic hits.

Small and deterministic on purpose: the mentee needs to know whether a mentor's words are about
what it said (a reflection that lands, a question about a topic), not to understand language.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from collections.abc import Set as AbstractSet
from functools import lru_cache

from server import language as shared
from server.language import tokens

# The shared function words, and words that say little about what the mentee said (feel, thing,
# sort ...); "will" stays a content word here, as it always has for the mentee.
STOPWORDS = (shared.STOPWORDS - {"will"}) | frozenset(
    [
        "above",
        "actually",
        "against",
        "another",
        "anything",
        "aren't",
        "because",
        "being",
        "below",
        "between",
        "big",
        "bit",
        "both",
        "can't",
        "cannot",
        "couldn't",
        "didn't",
        "doesn't",
        "down",
        "during",
        "each",
        "else",
        "even",
        "everything",
        "feel",
        "feeling",
        "feels",
        "felt",
        "few",
        "further",
        "get",
        "getting",
        "go",
        "going",
        "gone",
        "got",
        "hadn't",
        "hasn't",
        "haven't",
        "he'd",
        "he'll",
        "he's",
        "hear",
        "heard",
        "hearing",
        "here's",
        "hers",
        "herself",
        "himself",
        "hmm",
        "honestly",
        "how's",
        "isn't",
        "itself",
        "kind",
        "know",
        "knowing",
        "let's",
        "like",
        "little",
        "lot",
        "lots",
        "made",
        "make",
        "making",
        "many",
        "maybe",
        "mean",
        "means",
        "mm",
        "much",
        "mustn't",
        "need",
        "needed",
        "needs",
        "nor",
        "oh",
        "one",
        "ones",
        "ought",
        "ours",
        "ourselves",
        "perhaps",
        "quite",
        "right",
        "said",
        "same",
        "say",
        "saying",
        "see",
        "seeing",
        "seem",
        "seemed",
        "seems",
        "shan't",
        "she'd",
        "she'll",
        "she's",
        "should",
        "shouldn't",
        "something",
        "sort",
        "sound",
        "sounding",
        "sounds",
        "still",
        "stuff",
        "sure",
        "tell",
        "telling",
        "theirs",
        "themselves",
        "there's",
        "they'd",
        "they'll",
        "they're",
        "they've",
        "thing",
        "things",
        "think",
        "thinking",
        "thought",
        "time",
        "times",
        "told",
        "two",
        "um",
        "under",
        "until",
        "want",
        "wanted",
        "wanting",
        "wasn't",
        "way",
        "ways",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "well",
        "weren't",
        "what's",
        "when's",
        "where's",
        "who's",
        "whom",
        "why's",
        "won't",
        "wouldn't",
        "you'd",
        "you'll",
        "you're",
        "you've",
        "yours",
        "yourself",
        "yourselves",
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


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem: strip a common suffix, keep at most six letters (cached: the same few
    thousand words come back on every turn)."""
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


@lru_cache(maxsize=8192)
def _topic_wanted(topic: str) -> tuple[tuple[str, str | None], ...]:
    """Each content stem of a scenario topic with its feeling family's key (or None)."""
    wanted = (stem(w) for w in tokens(topic) if w not in STOPWORDS and len(w) >= 3)
    return tuple((w, f"~{FAMILY_OF[w]}" if w in FAMILY_OF else None) for w in wanted)


def topic_hit(topic: str, text_stems: Collection[str]) -> bool:
    """True if every content word of `topic` is in the text (a feeling word: or its family)."""
    wanted = _topic_wanted(topic)
    if not wanted:
        return False
    return all(w in text_stems or (f is not None and f in text_stems) for w, f in wanted)


def topic_score(topics: Iterable[str], text_stems: Collection[str]) -> int:
    """How many of `topics` the text mentions."""
    return sum(topic_hit(topic, text_stems) for topic in topics)


def overlap(said: AbstractSet[str], heard: AbstractSet[str]) -> int:
    """How many of the mentor's content stems (feeling families counted once) were heard: a
    feeling word counts through its family (`~tired`), not on its own."""
    return len([s for s in said if s in heard and (s.startswith("~") or s not in FAMILY_OF)])


def content_size(said: AbstractSet[str]) -> int:
    """The number of distinct ideas in a stem set (a feeling word and its family count once)."""
    return len([s for s in said if s.startswith("~") or s not in FAMILY_OF])
