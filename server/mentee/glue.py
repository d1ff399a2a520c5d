"""Light natural glue: short persona-neutral phrases the phraser uses around the scenario's lines,
and as a fallback when a scenario's pool of lines runs dry (no line repeats in a session).

`{n}` in a scale phrase is the number the decision carries.
"""

from __future__ import annotations

from functools import lru_cache

GLUE: dict[str, tuple[str, ...]] = {
    "confirm": (
        "Yes, that's it.",
        "Yeah, that's pretty much it.",
        "That's about right, yes.",
        "Mm, yes. That's it.",
        "Yes. Hearing it back like that, yes.",
        "That sums it up, I think.",
        "Yes, when you put it like that.",
        "Yeah. That's fair.",
    ),
    "not_sure": (
        "I'm not sure, honestly.",
        "I don't really know yet.",
        "Honestly? I'm not sure.",
        "I haven't really thought about it like that.",
        "Good question. I don't know.",
        "I'm not sure I know yet.",
    ),
    "not_ready": (
        "I don't know. I haven't got that far.",
        "I honestly haven't thought about what I'd do.",
        "I don't think I'm there yet.",
        "I can't really see past it at the moment.",
        "I don't know what I'd do, if I'm honest.",
        "I'm not sure. It still feels like a bit of a tangle.",
    ),
    "no_more": (
        "I think that's everything I can think of.",
        "I can't think of anything else, to be honest.",
        "That's probably all of them.",
        "I think I've run out of ideas.",
        "Nothing else springs to mind.",
    ),
    "choose": (
        "That's the one, I think.",
        "If I had to pick, that one.",
        "That's where I'd start, actually.",
        "I keep coming back to that one.",
        "That one feels most like me.",
    ),
    "scale_now": (
        "Maybe a {n}, if I'm honest.",
        "About a {n}, I'd say.",
        "A {n}? Something like that.",
        "Today, a {n}.",
        "Probably a {n}.",
    ),
    "scale_confidence": (
        "About a {n}, I think.",
        "Honestly? A {n}.",
        "A {n}. Maybe a bit more if I write it down.",
        "I'd say {n}.",
        "Probably {n} out of ten.",
    ),
    "ack": (
        "Okay.",
        "Right.",
        "Mm.",
        "Mm. Okay.",
        "Right, yes.",
        "Okay, yes.",
        "Right, okay.",
        "Yes.",
    ),
    "thanks": (
        "Thanks. That helps to hear.",
        "Thank you. I don't hear that much.",
        "That's kind. Thanks.",
        "Thanks. I'm not sure I feel it, but thanks.",
        "Oh. Thank you.",
        "Thanks, that means something.",
    ),
    "contract": (
        "Okay. That's good to know, actually.",
        "Right. Good. I did wonder who else hears about this.",
        "Okay. That makes it a bit easier.",
        "Good. I wasn't sure how this worked.",
        "Fine. Thanks for saying that.",
    ),
    "review": (
        "It's helped to say it out loud, honestly.",
        "It's been useful. I feel a bit clearer.",
        "Better than I expected, to be honest.",
        "I feel like I've got something to actually do now.",
        "It's helped. I came in with a fog and I'm leaving with a plan.",
    ),
    "support": (
        "Just knowing someone's asked helps, honestly.",
        "Maybe someone to check in with me afterwards.",
        "Probably just someone to hold me to it.",
        "I think I can do this bit myself, actually.",
        "I'll tell a friend, so I can't quietly drop it.",
    ),
    "hedge": (
        "I don't know. It's just a lot at the moment.",
        "It's hard to put into words, really.",
        "I'm not sure what else to say about it.",
        "It's complicated.",
        "I don't know. It's just how it is.",
        "I'd rather not go into that just now.",
        "Mm. I'm not sure.",
    ),
    "short": (
        "Yes.",
        "No.",
        "Not really.",
        "Sometimes.",
        "I suppose.",
        "Maybe.",
        "A little.",
        "Not especially.",
        "Probably.",
        "Hard to say.",
    ),
    "yes_but": (
        "Maybe. It's not that simple, though.",
        "I've thought about that. It's harder than it sounds.",
        "I could, I suppose. I just can't see it changing much.",
        "Maybe. I'm not sure it would work for me, though.",
        "In theory, yes. In practice it's not that easy.",
        "I know, I know. It's just not that straightforward.",
        "Yeah, maybe. There's never a good time for that, though.",
        "Possibly. But it's easier said than done where I am.",
    ),
    "short_wh": (
        "Hard to say, really.",
        "It varies.",
        "I'm not sure, exactly.",
        "It depends, honestly.",
        "Difficult to pin down.",
        "I couldn't say, really.",
    ),
    "risk_none": (
        "No. Nothing like that.",
        "No, it's not like that. I'm worn out, that's all.",
        "No, honestly. I'm fed up, but it's not that.",
        "No. I wouldn't say that.",
    ),
    "risk_guarded": (
        "No. Not really. I'm just tired.",
        "I'm fine. It's not like that.",
        "I'd rather not get into that.",
        "No. I mean, not really.",
    ),
    "asked_back": (
        "I don't know, really. I think I just need to talk it through.",
        "I'm not sure. Maybe just help me think straight.",
        "Honestly, I don't know what I expected. Somewhere to say it out loud, maybe.",
        "I don't know. Just listen, I suppose.",
        "I'm not sure. I haven't got that far.",
    ),
    "off_topic": (
        "Sorry, I'm not sure what you mean.",
        "Um. Not really, no. My head's somewhere else at the moment.",
        "Sorry, I'm not sure how that fits in.",
        "I haven't really had the headspace for anything like that.",
    ),
    "accept_early": (
        "Maybe. I'm not sure it's come to that, but maybe.",
        "Okay. I'll think about it.",
        "Maybe, yes. I hadn't really thought of it.",
        "Perhaps. I'd want to think about it first.",
    ),
    "comply": (
        "Okay. I'll think about it.",
        "Maybe. I'll see.",
        "I suppose I could.",
        "Fair enough.",
        "Yes, maybe.",
    ),
    "withdraw": (
        "It's fine, really.",
        "I'll manage.",
        "It's not a big deal.",
        "Let's not worry about it.",
        "I'm fine.",
    ),
    "correct": (
        "Not quite.",
        "That's not really it.",
        "No, not exactly.",
        "Hmm, not quite that.",
        "It's not that, really.",
    ),
    "restate": (
        "What I mean is, it's more than that.",
        "It's more the whole thing, if that makes sense.",
        "I suppose what I'm saying is it's been building for a while.",
        "It's hard to explain, but that's not the heart of it.",
    ),
    "explored": (
        "It scares me a bit, talking about it.",
        "I haven't said that out loud before.",
        "I don't really know what to do with it.",
        "I try not to think about it.",
    ),
    "accept": (
        "Okay. I'll think about doing that.",
        "Maybe that's sensible. I'll look into it.",
        "Okay. I hadn't thought of that.",
    ),
    "decline": (
        "I don't think it's come to that.",
        "I'm not sure I need that, honestly.",
        "Maybe. I don't think I'm there.",
    ),
    "choose_fallback": (
        "I think I'd start with that one.",
        "That's the one I'd go for.",
    ),
    "goal_again": (
        "Mostly what I said. I want it to feel manageable again.",
        "I think I've said it. I want things to be different from how they are.",
    ),
    "commit_again": (
        "Yes. That's what I'll do.",
        "That's the plan, yes.",
        "I'll do it. I've said it now.",
    ),
}

LEADS: tuple[str, ...] = ("Honestly, ", "I mean, ", "I don't know. ", "Well, ", "Mm. ", "Yeah. ")
# Lead-ins that agree: never "I don't know." before a "yes, that's it".
_AGREEING_LEADS: tuple[str, ...] = ("Mm. ", "Right. ", "Well, ", "I mean, ", "Honestly, ")
_AGREEING = frozenset({"confirm", "ack", "commit_again", "choose", "choose_fallback", "support"})
_ANSWERS = ("Yes", "Yeah", "No", "Mm", "Not", "Right", "Okay")
ALL_LEADS: tuple[str, ...] = tuple(dict.fromkeys(LEADS + _AGREEING_LEADS))


@lru_cache(maxsize=64)
def glue_candidates(kind: str) -> tuple[str, ...]:
    """The phrases of `kind`, then the same with a lead-in (so a long session never repeats)."""
    base = GLUE.get(kind, GLUE["hedge"])
    leads = _AGREEING_LEADS if kind in _AGREEING else LEADS
    led = tuple(
        _lead(lead, phrase)
        for lead in leads
        for phrase in base
        if not phrase.startswith(("Mm", "Um"))
        and not (lead.startswith(("Mm", "Yeah", "Right")) and phrase.startswith(_ANSWERS))
    )
    return base + led


def _lead(lead: str, phrase: str) -> str:
    """A lead-in and a phrase: lower-case after a comma, unchanged after a full stop."""
    if lead.endswith(". ") or phrase.startswith(("I ", "I'")):
        return lead + phrase
    return lead + phrase[0].lower() + phrase[1:]
