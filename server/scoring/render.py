"""A readable, plain-text rendering of a report (`empowerer score FILE --text`)."""

from __future__ import annotations

from server.scoring.models import Band, Metric, Report

BAND_NAMES = {Band.GOOD: "good", Band.FAIR: "fair", Band.NEEDS_PRACTICE: "needs practice"}


def _value(m: Metric) -> str:
    if m.value is None:
        return "n/a"
    if m.unit == "percent":
        return f"{m.value:.0f}%"
    if m.unit == "yes/no":
        return "yes" if m.value >= 1 else "no"
    if m.unit == "ratio":
        return f"{m.value:.2f}"
    return f"{m.value:.0f}"


def _threshold(m: Metric) -> str:
    if m.unit == "yes/no":
        return "good: yes"
    sign = ">=" if m.higher_is_better else "<="
    return f"fair {sign} {m.fair:g}, good {sign} {m.good:g}"


def _metrics(report: Report) -> list[str]:
    lines = ["", "Metrics"]
    for m in report.metrics.values():
        band = BAND_NAMES[m.band] if m.band else "-"
        lines.append(f"  {m.label:<58} {_value(m):>6}  {band:<14} ({_threshold(m)}; {m.source})")
    return lines


def _micro(report: Report) -> list[str]:
    m = report.micro
    counts = ", ".join(f"{k} {v}" for k, v in m.counts.items() if v)
    premature = (
        "" if m.advice.premature is None else f", {m.advice.premature} before the action stage"
    )
    return [
        "",
        "Micro-skills",
        f"  {m.mentor_turns} mentor turns; codes: {counts or 'none'}",
        f"  questions {m.questions} ({m.open_questions} open, {m.stacked_questions} stacked); "
        f"reflections {m.reflections} ({m.complex_reflections} complex); summaries {m.summaries}; "
        f"affirmations {m.affirmations}",
        f"  advice {m.advice.total}{premature}, {m.advice.with_permission} with permission; "
        f"roadblocks {m.roadblocks}; words: mentor {m.mentor_words}, mentee {m.mentee_words}",
    ]


def _framework(report: Report) -> list[str]:
    fw = report.framework
    if fw is None:
        return []
    lines = ["", f"Framework: {fw.name}"]
    for span in fw.timeline:
        end = "" if span.to_turn is None else f"-{span.to_turn}"
        lines.append(
            f"  turns {span.from_turn}{end}  {span.title} ({span.via}, "
            f"{span.mentor_turns} mentor turns)"
        )
    lines.append(
        f"  reached the final stage: {'yes' if fw.reached_final else 'no'}; "
        f"skipped: {', '.join(fw.skipped) or 'none'}; refused moves: {len(fw.refused)}"
    )
    return lines


def _outcome(report: Report) -> list[str]:
    out = report.outcome
    if out is None:
        return []
    lines = ["", f"Outcome ({out.scenario})"]
    for u in out.ledger:
        state = (
            f"uncovered at turn {u.turn}" if u.uncovered else f"missed — opens with {u.opened_by}"
        )
        lines.append(f"  [{u.layer:<7}] {u.id:<22} {state}")
    found = [f"{o.id} ({o.proposed_by})" for o in out.options if o.proposed_by]
    lines.append(f"  options: {', '.join(found) or 'none'}")
    chosen = out.chosen_action
    lines.append(
        f"  chosen action: {chosen.option or 'none'}"
        + (f" (proposed by the {chosen.by})" if chosen.by else "")
    )
    c = out.commitment
    lines.append(f"  commitment: {'yes, turn ' + str(c.turn) if c.reached else 'no'}")
    for r in out.risk:
        lines.append(f"  risk cue {r.id} at turn {r.turn}: {r.status}")
    if out.trust:
        points = " ".join(f"{p.trust:.2f}" for p in out.trust)
        lines.append(f"  trust ({out.trust_source}): {points}")
    return lines


def _feedback(report: Report) -> list[str]:
    lines = ["", "Feedback"]
    for n, f in enumerate(report.feedback, start=1):
        where = f" (turn {f.turn})" if f.turn is not None else ""
        lines.append(f"  {n}. [{f.kind}] {f.title}{where}")
        lines.append(f"     {f.detail}")
        if f.said:
            lines.append(f'     You said:  "{f.said}"')
        if f.could_say:
            lines.append(f'     Could say: "{f.could_say}"')
    return lines


def render_text(report: Report) -> str:
    """The report as plain text for a terminal."""
    o = report.overall
    head = [f"Overall: {o.score}/100 ({BAND_NAMES[o.band]}) over {report.turns} turns"]
    if o.cap:
        head.append(f"  {o.cap}")
    body = [
        *head,
        *_feedback(report),
        *_metrics(report),
        *_micro(report),
        *_framework(report),
        *_outcome(report),
    ]
    return "\n".join(body) + "\n"
