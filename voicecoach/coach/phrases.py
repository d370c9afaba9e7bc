"""Every sentence the coach says, in one place (English), so another language is one new module.

Short, clean sentences meant to be heard. Where a phrase has a shorter form for tight gaps, the
function returns the alternatives longest first.
"""

from __future__ import annotations

import random
from dataclasses import replace

from voicecoach.routine.model import Load, Reps, plain_number

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number(n: int) -> str:
    """Numbers as words, so every engine says them the same way ("twenty-one")."""
    if n < 0:
        return f"minus {number(-n)}"
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    for size, word in _LARGE:
        if n >= size:
            many, rest = divmod(n, size)
            return f"{number(many)} {word}" + (f" {number(rest)}" if rest else "")
    hundreds, rest = divmod(n, 100)
    return f"{_ONES[hundreds]} hundred" + (f" {number(rest)}" if rest else "")


_LARGE = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def duration(seconds: float) -> str:
    """ "90 seconds", "2 minutes", "1 minute 30 seconds": how a coach says a length."""
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    if minutes == 0 or (minutes == 1 and secs and whole <= 90):
        return f"{whole} seconds" if whole != 1 else "1 second"
    text = plural(minutes, "minute")
    return f"{text} {secs} seconds" if secs else text


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def count(n: int) -> str:
    return number(n).capitalize()


GO = "Go!"
COUNTDOWN = {count(n): n for n in (3, 2, 1)}
"""A countdown's words, each with its seconds before the zero."""


def intro(name: str, total_s: float, first: str, about: bool = False) -> tuple[str, ...]:
    """The workout's first words; `about`: its length is an estimate (sets at one's own pace)."""
    length = plural(max(1, round(total_s / 60)), "minute")
    length = f"About {length}" if about else length.capitalize()
    return (f"{name}. {length}. First up: {first}.", f"{name}. First up: {first}.", f"{name}.")


def set_announcement(
    name: str,
    set_no: int,
    sets: int,
    reps: Reps | None,
    hold_s: float | None,
    side: str,
    load: Load | None = None,
) -> tuple[str, ...]:
    """ "Squats. Set 2 of 5. 5 reps at 100 kilos." with shorter forms."""
    which = f"Set {set_no} of {sets}." if sets > 1 else ""
    if set_no == sets and sets > 1:
        which = f"Last set, {set_no} of {sets}."
    amount = amounts(reps, hold_s, load, side)
    sided = f" {side.capitalize()} side." if side else ""
    full = " ".join(p for p in (f"{name}.", which, amount) if p) + sided
    counted = f"{name}. {amount}{sided}"
    shorter = " ".join(p for p in (f"{name}.", which) if p) + sided
    return tuple(dict.fromkeys((full, counted, shorter, f"{name}.{sided}")))


_UNIT_WORDS = {"kg": ("kilo", "kilos"), "lb": ("pound", "pounds")}


def amounts(reps: Reps | None, hold_s: float | None, load: Load | None, side: str = "") -> str:
    """ "10 reps at 16 kilos.", "30 seconds.": how much a set is."""
    amount = plural(reps.low, "rep") if reps else duration(hold_s or 0)
    said = load_words(load, sided=bool(side)) if load else ""
    return amount + (f" {said}." if said else ".")


def load_words(load: Load, *, sided: bool = False) -> str:
    """ "at 100 kilos", "with 10 kilos added", "with 20 kilos in each hand"; "" for bodyweight.
    A load in each hand, done one side at a time, is that side's: "at 16 kilos"."""
    if sided:
        load = replace(load, each=False)
    one, many = _UNIT_WORDS[load.unit]
    said = plain_number(load.amount)
    amount = f"{said} {one if said == '1' else many}"
    if load.bodyweight:
        return f"with {amount} added" if load.amount else ""
    return f"with {amount} in each hand" if load.each else f"at {amount}"


def round_label(round_no: int, rounds: int, unit: str = "Round") -> str:
    """ "Round 2 of 8.", "Minute 2 of 10." (an EMOM), "Last round." """
    return f"Last {unit.lower()}." if round_no == rounds else f"{unit} {round_no} of {rounds}."


def amrap_announcement(name: str, seconds: float, parts: list[str]) -> tuple[str, ...]:
    """ "Finisher. As many rounds as you can in 5 minutes: 10 squats, plank 30 seconds." """
    many = f"{name}. As many rounds as you can in {duration(seconds)}"
    return (f"{many}: {', '.join(parts)}.", f"{many}.", f"{name}.")


def amrap_part(name: str, reps: Reps | None, seconds: float | None, load: Load | None) -> str:
    """One step of an AMRAP's round: "10 Squats at 60 kilos", "Plank 30 seconds"."""
    part = f"{reps.low} {name}" if reps else f"{name} {duration(seconds or 0)}"
    said = load_words(load) if load else ""
    return f"{part} {said}" if said else part


def activity_announcement(
    name: str, seconds: float, side: str, load: Load | None = None
) -> tuple[str, ...]:
    """ "Rowing. 5 minutes.", "Swings. 20 seconds at 16 kilos." (intervals of an exercise)."""
    sided = f" {side.capitalize()} side." if side else ""
    return (f"{name}. {amounts(None, seconds, load, side)}{sided}", f"{name}.{sided}")


def time_left(name: str, seconds: float, side: str) -> tuple[str, ...]:
    """Picking up a hold or an activity in its middle: "Plank. 40 seconds to go." """
    sided = f" {side.capitalize()} side." if side else ""
    return (f"{name}.{sided} {duration(seconds)} to go.",)


def other_side() -> tuple[str, ...]:
    return ("Switch sides.", "Switch.")


def right_side() -> tuple[str, ...]:
    return ("Right side.",)


def rest(seconds: float) -> tuple[str, ...]:
    return (f"Rest, {duration(seconds)}.", "Rest.")


def next_up(name: str, amount: str = "") -> tuple[str, ...]:
    """ "Next up: Dumbbell row. 10 reps at 16 kilos." (with its amounts, where given)."""
    first = (f"Next up: {name}. {amount}",) if amount else ()
    return (*first, f"Next up: {name}.", f"Next: {name}.")


def next_set(set_no: int, sets: int) -> tuple[str, ...]:
    if set_no == sets:
        return ("Last set coming up.",)
    return (f"Set {set_no} coming up.",)


def seconds_left(seconds: int) -> tuple[str, ...]:
    return (f"{number(seconds).capitalize()} seconds.",)


def minutes_left(minutes: int) -> tuple[str, ...]:
    if minutes == 1:
        return ("One minute left.",)
    return (f"{number(minutes).capitalize()} minutes left.",)


HALFWAY = "Halfway."
LAST_REP = "Last rep."
TWO_MORE = "Two more."

_ENCOURAGEMENT = (
    "Good work.",
    "Nice and steady.",
    "Strong set.",
    "Well done.",
    "That's the way.",
    "Great form.",
)


def encouragement(seed: int) -> str:
    """A short word of praise; the same seed gives the same phrase (plans are deterministic)."""
    return random.Random(seed).choice(_ENCOURAGEMENT)


def summary(sets: int, reps: int, total_s: float | None) -> tuple[str, ...]:
    """The last words; `total_s` None: the time is not known ahead (sets at one's own pace)."""
    counted = [plural(n, word) for n, word in ((sets, "set"), (reps, "rep")) if n]
    if total_s is not None:
        counted.append(plural(max(1, round(total_s / 60)), "minute"))
    amounts = ", ".join(counted)
    done = f"Workout complete: {amounts}."
    return (f"{done} Well done.", done, "Workout complete.")


STOP_QUESTION = "Stop the workout? Say yes."
"""Said when "stop" is heard (`play --listen`): a spoken command is confirmed aloud."""


def done_question() -> str:
    """Asked once in a set at one's own pace that goes on long past its estimate."""
    return "Done? Press Enter."


def nothing_done() -> tuple[str, ...]:
    """The end of a workout in which every step was skipped: said as it is, without praise."""
    return ("Workout over: every step was skipped.", "Workout over.")


DEFAULT_RATE = 175
"""espeak-ng's words a minute, which the estimate assumes."""
SECONDS_PER_CHAR = 0.065
"""Speaking time per character, for when there is no voice to measure (--no-voice)."""


def estimated_length(text: str, rate: int | None = None) -> float:
    """How long a phrase takes to say, before it is rendered (or with no voice at all); at
    `rate` words a minute, as much longer or shorter as a voice at 175 would speak it."""
    at_175 = 0.3 + SECONDS_PER_CHAR * len(text)
    return at_175 * DEFAULT_RATE / rate if rate else at_175
