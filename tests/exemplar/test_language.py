"""The exemplar's words: said back in the second person, from the mentee's own clauses."""

from __future__ import annotations

from server.exemplar import language as lang


def test_second_person_turns_the_mentee_s_words_round() -> None:
    assert lang.second_person("I was tired and my brain keeps going") == (
        "you were tired and your brain keeps going"
    )
    assert lang.second_person("I'm scared I'll let myself down") == (
        "you're scared you'll let yourself down"
    )


def test_key_clause_skips_back_channel_and_prefers_what_matters() -> None:
    reply = (
        "Yes, that's it. I can't get my sleep back. I lie there at two in the afternoon with "
        "the blackout blind down and my brain just keeps going."
    )
    clause = lang.key_clause(reply)
    assert clause is not None
    assert clause.startswith("you lie there")
    assert "your brain" in clause


def test_key_clause_never_turns_round_words_addressed_to_the_mentor() -> None:
    assert lang.key_clause("What would you do in my position, honestly?") is None


def test_key_clause_avoids_what_was_already_said_back() -> None:
    reply = "I asked for that weekend off months ago. Nobody could swap with me at all."
    first = lang.key_clause(reply)
    assert first is not None
    second = lang.key_clause(reply, [first])
    assert second is not None and second != first


def test_options_are_said_back_as_possibilities_not_as_advice() -> None:
    clause = lang.key_clause("I could actually book my annual leave now, before the rota.")
    assert clause is not None
    assert lang.gerund_option(clause) == "booking your annual leave now"
    assert lang.ing("plan") == "planning" and lang.ing("tell") == "telling"
    assert lang.ing("write") == "writing"


def test_feelings_and_topics_are_read_from_the_words() -> None:
    assert lang.feeling_in("I'm shattered, properly wiped out") == "worn out"
    assert lang.feeling_in("I feel so alone up here") == "alone with it"
    assert lang.topic_phrase("I can't get my sleep back.", ["sleep", "tired"]) == "your sleep"
    assert lang.topic_phrase("It's the medical take.", ["rota"]) is None
    assert lang.join_items(["a", "b", "c"]) == "a, b and c"
