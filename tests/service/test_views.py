"""The answers built as JSON data (server/service/views.py) are exactly their models' JSON.

The API documents its answers with pydantic models (TurnResult, SessionPublic, TurnPublic) but
builds the frequent ones as plain data. Each answer here, parsed by its model and written again by
the model, must give back the very same text: same fields, same order, same values, same
formatting. If a model gains a field the data builders lack, these fail.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel

from server.catalog import Catalog
from server.coding.labels import Code, CodedTurn, CodeHit
from server.practice import start, take_turn
from server.service import views
from server.transcript import Turn

from .helpers import FRAMEWORK, SCENARIO, Trainee

AWKWARD = 'Ünïcødé “quotes” 🙂 a "quoted" \\ backslash,\nnew line\tand tab. What helps?'


def written_again(model: type[BaseModel], text: str) -> str:
    return model.model_validate_json(text).model_dump_json()


async def test_session_turn_report_and_end_answers_are_their_models_json(
    client: Trainee,
) -> None:
    created = await client.write("/api/sessions", {"scenario": SCENARIO, "framework": FRAMEWORK})
    assert created.status_code == 201
    assert written_again(views.SessionPublic, created.text) == created.text
    sid = created.json()["id"]
    for text in ("What would you like to get from our time today?", AWKWARD):
        said = await client.say(sid, text)
        assert said.status_code == 200, said.text
        assert written_again(views.TurnResult, said.text) == said.text
    read = await client.get(f"/api/sessions/{sid}")
    assert written_again(views.SessionPublic, read.text) == read.text
    assert read.json()["turns"][3]["text"] == AWKWARD
    ended = await client.write(f"/api/sessions/{sid}/end")
    assert written_again(views.SessionPublic, ended.text) == ended.text
    assert ended.json()["ended"] is True


def test_turns_with_a_correction_comments_and_hidden_codes_are_their_models_json(
    catalog: Catalog,
) -> None:
    spec, engine = catalog.scenarios[SCENARIO], catalog.frameworks[FRAMEWORK]
    state, opening = start(spec, engine, 3)
    outcome = take_turn(spec, engine, state, [opening], "Have you tried going part-time?")
    correction = CodedTurn(
        primary=Code.OPEN_QUESTION,
        codes=(CodeHit(code=Code.OPEN_QUESTION, detail=None, span=(0, 5), evidence="Have "),),
        stage_intent=None,
        suggestion=None,
    )
    corrected: Turn = outcome.mentor.model_copy(update={"correction": correction})
    author = views.User(id="f1", email="f@example.org", name="Fay", role="facilitator")
    comment = views.CommentPublic(
        id="c1", turn=1, author=author, text="Try a reflection.", created_at=datetime.now(UTC)
    )
    for hide in (False, True):
        data = views.turn_data(
            corrected, engine, "a note", comments=[comment.model_dump(mode="json")], hide_codes=hide
        )
        text = views.to_json(data)
        assert written_again(views.TurnPublic, text) == text
        assert (data["codes"] == []) is hide
        if not hide:
            assert data["primary"] == "open_question"  # the facilitator's codes win
            assert data["coder"]["primary"] == "advice"
    mentee = views.turn_data(outcome.mentee, engine)
    assert mentee["codes"] is None and mentee["coder"] is None
    answer = views.to_json(
        views.turn_result_data(outcome.mentor, outcome.mentee, engine, "goal", "n", exam=True)
    )
    assert written_again(views.TurnResult, answer) == answer
    assert views.TurnResult.model_validate_json(answer).nudge is None  # exam: no hints
