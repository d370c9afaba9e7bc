"""A Plan as a person reads it before training, and as JSON for tools."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from voicecoach.coach.own_pace import is_own_pace, open_ended
from voicecoach.coach.plan import Block, BlockKind, Plan, PlannedStep
from voicecoach.routine.model import (
    Activity,
    Circuit,
    ExerciseStep,
    IntervalKind,
    Intervals,
    SectionKind,
    Step,
    intervals_of,
)
from voicecoach.routine.quantities import OWN_REP_S, format_duration, short_duration


def plan_text(plan: Plan) -> str:
    """The schedule: one line per step with start, work, tempo, rest and length; totals last."""
    lines = [f"{plan.name} — {_totals(plan)}"]
    if plan.description:
        lines.append(plan.description)
    rows: list[tuple[str, ...]] = [("start", "step", "work", "tempo", "rest", "length")]
    if plan.lead_in_s:
        rows.append(("0:00", "Get ready", "", "", "", format_duration(plan.lead_in_s)))
    section: SectionKind | None = None
    for step in plan.steps:
        if step.section is not section:
            section = step.section
            rows.append(
                (
                    "",
                    f"{section.heading}",
                )
            )
        rows.append(_row(step))
        if isinstance(step.step, Circuit | Intervals):
            rows.extend(_inner_rows(step.step))
    if plan.outro_s:
        start = format_duration(plan.duration_s - plan.outro_s)
        rows.append((start, "Summary", "", "", "", format_duration(plan.outro_s)))
    total = format_duration(plan.duration_s)
    rows.append((total, "end", "", "", "", total))
    widths = [max(len(r[i]) for r in rows if len(r) > i and len(r) > 2) for i in range(6)]
    lines.append("")
    for row in rows:
        if len(row) == 2:
            lines.append(f"{'':>{widths[0]}}  {row[1]}")
            continue
        start, name, work, tempo, rest, length = row
        lines.append(
            f"{start:>{widths[0]}}  {name:<{widths[1]}}  {work:<{widths[2]}}  "
            f"{tempo:<{widths[3]}}  {rest:<{widths[4]}}  {length:>{widths[5]}}".rstrip()
        )
    notes = []
    if any(isinstance(s.step, ExerciseStep) and s.step.reps and s.step.reps.low != s.step.reps.high
           for s in plan.steps):  # fmt: skip
        notes.append("Rep ranges are timed at their low end; the coach counts every rep you do.")
    if open_ended(plan):
        each = short_duration(OWN_REP_S)
        notes.append(f"~ At your own pace: timed here at {each} a rep; the coach waits for you.")
    return "\n".join([*lines, "", *notes] if notes else lines)


def _totals(plan: Plan) -> str:
    about = "about " if open_ended(plan) else ""
    return f"{about}{format_duration(plan.duration_s)}, {plan.sets} sets, {plan.reps} reps"


def _row(planned: PlannedStep) -> tuple[str, str, str, str, str, str]:
    step = planned.step
    return (
        format_duration(planned.start_s),
        f"  {step.name}",
        work_text(step),
        _tempo(step),
        _rest(planned),
        ("~" if any(is_own_pace(b) for b in planned.blocks) else "")
        + format_duration(planned.duration_s),
    )


def _inner_rows(step: Circuit | Intervals) -> list[tuple[str, ...]]:
    """The steps of a circuit or intervals, under it; in intervals, timed by their work."""
    if intervals_of(step, IntervalKind.INTERVALS) is not None:
        return [("", f"  · {s.name}" + (" (sides in turn)" if s.sides else ""), _load(s), "",
                 "", "") for s in step.steps]  # fmt: skip
    rows: list[tuple[str, ...]] = []
    for s in step.steps:
        work = work_text(s).removeprefix("1 × ") if isinstance(step, Intervals) else work_text(s)
        tempo = "" if intervals_of(step, IntervalKind.AMRAP) is not None else _tempo(s)
        rows.append(("", f"  · {s.name}", work, tempo, "", ""))
    return rows


def work_text(step: Step) -> str:
    if isinstance(step, Circuit):
        return f"{step.rounds} round{'s' if step.rounds != 1 else ''}"
    if isinstance(step, Intervals):
        return _intervals_work(step)
    each = " each side" if step.sides else ""
    if isinstance(step, Activity):
        return f"{short_duration(step.duration_s)}{each}"
    amount = (
        f"{step.reps} rep{'' if str(step.reps) == '1' else 's'}"
        if step.reps
        else f"{short_duration(step.duration_s or 0)} hold"
    )
    return f"{step.sets} × {amount}{each}" + (f" {_load(step)}" if step.load else "")


def _load(step: ExerciseStep | Activity) -> str:
    """ "at 16 kg", "at 12 kg each"; one side at a time, the load is that side's."""
    load = step.load if isinstance(step, ExerciseStep) else None
    if load is not None and step.sides:
        load = replace(load, each=False)
    return f"at {load}" if load else ""


def _intervals_work(step: Intervals) -> str:
    """ "8 × 20s on, 10s off", "EMOM 10 × 1 min", "AMRAP 10 min"."""
    if step.kind is IntervalKind.AMRAP:
        return f"AMRAP {short_duration(step.work_s)}"
    if step.kind is IntervalKind.EMOM:
        return f"EMOM {step.rounds} × {short_duration(step.work_s)}"
    off = f", {short_duration(step.rest_s)} off" if step.rest_s else ""
    return f"{step.rounds} × {short_duration(step.work_s)} on{off}"


def _tempo(step: Step) -> str:
    return str(step.tempo) if isinstance(step, ExerciseStep) and step.reps else ""


def _rest(planned: PlannedStep) -> str:
    step = planned.step
    last = planned.blocks[-1]
    after = last.duration_s if last.kind is BlockKind.REST else 0.0
    ready = last.duration_s if last.kind is BlockKind.GET_READY else 0.0
    between = 0.0
    if isinstance(step, ExerciseStep) and step.sets > 1:
        between = step.rest_s
    elif isinstance(step, Circuit):
        between = step.round_rest_s if step.rounds > 1 else 0.0
    parts = []
    if isinstance(step, Circuit) and step.rest_s and len(step.steps) > 1:
        parts.append(f"{short_duration(step.rest_s)} between steps")
    if between:
        parts.append(
            short_duration(between) + (" between rounds" if isinstance(step, Circuit) else "")
        )
    if isinstance(step, Circuit) and not step.rest_s and step.get_ready_s and len(step.steps) > 1:
        parts.append(f"{short_duration(step.get_ready_s)} to get ready between steps")
    if after:
        parts.append(f"{short_duration(after)} after")
    if ready:
        parts.append(f"{short_duration(ready)} to get ready")
    return ", ".join(parts)


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan for tools: times in seconds from the start of the workout."""
    return {
        "name": plan.name,
        "description": plan.description,
        "duration": plan.duration_s,
        "estimated": open_ended(plan),
        "lead_in": plan.lead_in_s,
        "outro": plan.outro_s,
        "sets": plan.sets,
        "reps": plan.reps,
        "steps": [_step_json(s) for s in plan.steps],
    }


def _step_json(planned: PlannedStep) -> dict[str, Any]:
    step = planned.step
    data: dict[str, Any] = {
        "index": planned.index,
        "section": planned.section.value,
        "kind": step.kind.value
        if isinstance(step, Intervals)
        else {Activity: "activity", Circuit: "circuit", ExerciseStep: "exercise"}[type(step)],
        "name": step.name,
        "start": planned.start_s,
        "duration": planned.duration_s,
    }
    if isinstance(step, ExerciseStep):
        data |= {
            "exercise": step.exercise.id,
            "sets": step.sets,
            "reps": {"low": step.reps.low, "high": step.reps.high} if step.reps else None,
            "hold": step.duration_s,
            "load": str(step.load) if step.load else None,
            "tempo": str(step.tempo) if step.reps else None,
            "rest": step.rest_s,
            "sides": step.sides,
        }
    elif isinstance(step, Circuit):
        data |= {"rounds": step.rounds, "steps": [s.name for s in step.steps]}
    elif isinstance(step, Intervals):
        data |= {"rounds": step.rounds, "steps": [s.name for s in step.steps]}
        data |= {"time" if step.kind is IntervalKind.AMRAP else "work": step.work_s}
        if step.kind is IntervalKind.INTERVALS:
            data["rest"] = step.rest_s
    else:
        data |= {"sides": step.sides}
    data["blocks"] = [_block_json(b) for b in planned.blocks]
    return data


def _block_json(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": block.kind.value,
        "start": block.start_s,
        "duration": block.duration_s,
        "name": block.name,
    }
    for key, value in (
        ("set", block.set_no), ("sets", block.sets), ("round", block.round_no),
        ("rounds", block.rounds), ("side", block.side), ("reps", block.reps),
    ):  # fmt: skip
        if value:
            data[key] = value
    return data
