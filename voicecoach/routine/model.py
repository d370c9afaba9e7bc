"""The typed model of a routine, fully resolved: every default applied, every reference followed.

Frozen and built from tuples so a Routine can be shared, hashed and compared; state that changes
during a workout lives in the player, never here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Reps:
    """A rep target: a fixed count (low == high) or a range such as 8-12."""

    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


@dataclass(frozen=True, slots=True)
class Tempo:
    """Seconds per rep phase: lower, pause at the bottom, press, pause at the top."""

    lower_s: float
    bottom_s: float
    press_s: float
    top_s: float
    text: str
    """As written in the routine, e.g. `3-1-1-0` or `2-0-X-1`; `own`."""
    own: bool = False
    """At one's own pace (`tempo: own`): no beat; the phases only make the plan's estimate."""

    @property
    def rep_s(self) -> float:
        return self.lower_s + self.bottom_s + self.press_s + self.top_s

    def __str__(self) -> str:
        return self.text


KG_PER_LB = 0.45359237


def plain_number(x: float) -> str:
    """`100`, `2.5`, `1.25`: a number as people write and say it, to the hundredth (never
    `1e-08` as `:g` wrote it)."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class Load:
    """What a set is done with: `60 kg`, `135 lb`, `bodyweight`, `bodyweight + 10 kg` (added
    to one's bodyweight), `20 kg each` (a dumbbell in each hand, or each side)."""

    amount: float
    """In `unit`; 0 with bodyweight alone."""
    unit: str = "kg"
    """kg or lb."""
    bodyweight: bool = False
    """The amount is added to one's bodyweight (a weighted vest, a belt)."""
    each: bool = False
    """The amount is in each hand (or on each side)."""

    def __str__(self) -> str:
        amount = f"{plain_number(self.amount)} {self.unit}" + (" each" if self.each else "")
        if self.bodyweight:
            return f"bodyweight + {amount}" if self.amount else "bodyweight"
        return amount

    @property
    def kg(self) -> float:
        """The amount in kilograms (0 for bodyweight alone), to compare loads over time."""
        return self.amount * (KG_PER_LB if self.unit == "lb" else 1.0)

    def plus(self, step: float) -> Load:
        """A step heavier (in the same unit)."""
        return replace(self, amount=round(self.amount + step, 3))


class CueAt(StrEnum):
    """When a form cue is said."""

    START = "start"
    """Before the first set (or when the activity begins)."""
    HALFWAY = "halfway"
    """Halfway through a set or timed activity."""
    REP = "rep"
    """On one rep number."""
    EVERY = "every"
    """Every N reps."""
    TIME = "time"
    """N seconds into a set or timed activity."""
    EVERY_TIME = "every-time"
    """Every N seconds of a set or timed activity."""


@dataclass(frozen=True, slots=True)
class Cue:
    """Something the coach says about form, and when."""

    text: str
    at: CueAt = CueAt.START
    n: float = 0
    """The rep number (REP), the interval in reps (EVERY), the seconds (TIME) or the interval in
    seconds (EVERY_TIME); else 0."""


class Verbosity(StrEnum):
    """How much the coach says: counts and sets only, the usual, or every cue and encouragement."""

    QUIET = "quiet"
    NORMAL = "normal"
    CHATTY = "chatty"


@dataclass(frozen=True, slots=True)
class Voice:
    """Speech settings; None means the engine's default."""

    name: str | None = None
    rate: int | None = None
    """Words per minute."""
    volume: float | None = None
    """0.0 to 1.0."""
    engine: str | None = None
    """auto, piper or pyttsx3 (keys.ENGINES); None: the default."""
    name_at: str | None = field(default=None, compare=False)
    """Where the name was written (file:line:col), for a voice no engine has; None when it
    was given elsewhere (--voice, the config file)."""


@dataclass(frozen=True, slots=True)
class Exercise:
    """An exercise as defined once (in `exercises:` or an included library) and reused by steps."""

    id: str
    name: str
    """Spoken and shown, e.g. "Wide-grip pushups"."""
    cues: tuple[Cue, ...] = ()
    mistakes: tuple[str, ...] = ()
    """Common mistakes, said as reminders spread over the sets."""


class Then(StrEnum):
    """What a progression does once every set reaches the top of the rep range."""

    ADD_SET = "add-set"
    SLOWER = "slower"
    HARDER = "harder"
    LOAD = "load"
    """A step of load more, the reps back to the bottom of the range."""
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Progression:
    """Double progression (a rep per set after each completed session, up to the top of the
    range), then `then`: another set, a slower lowering, or the `harder` exercise."""

    then: Then = Then.NONE
    harder: str = ""
    """The exercise id to move on to, for Then.HARDER."""
    load_step: Load | None = None
    """How much load to add (in the load's unit), for Then.LOAD."""
    step: ExerciseStep | None = field(default=None, compare=False)
    """The step as it is with the harder exercise: its own tempo, cues and sides, and what
    the step itself sets."""


@dataclass(frozen=True, slots=True)
class ExerciseStep:
    """Sets of one exercise: reps at a tempo, or timed holds; optionally each side in turn."""

    exercise: Exercise
    sets: int
    reps: Reps | None
    """None for a timed hold (then duration_s is set)."""
    duration_s: float | None
    tempo: Tempo
    rest_s: float
    """Between sets."""
    rest_after_s: float
    """After the last set, before the next step."""
    sides: bool = False
    """Left then right in every set, with a switch pause between."""
    switch_s: float = 0.0
    cues: tuple[Cue, ...] = ()
    """The exercise's cues followed by this step's own."""
    progression: Progression = Progression()
    slot: str = ""
    """The routine's exercise id for this step, which its progression follows: it stays when a
    harder exercise takes its place ("" means exercise.id)."""
    load: Load | None = None

    @property
    def name(self) -> str:
        return self.exercise.name

    @property
    def progress_id(self) -> str:
        return self.slot or self.exercise.id

    @property
    def work_s(self) -> float:
        """How long one set works (one side of it): the bottom of the rep range at the tempo,
        or the hold."""
        return self.reps.low * self.tempo.rep_s if self.reps else (self.duration_s or 0.0)


@dataclass(frozen=True, slots=True)
class Activity:
    """A timed activity such as light cardio or a stretch."""

    name: str
    duration_s: float
    """Per side when sides is set."""
    cues: tuple[Cue, ...] = ()
    sides: bool = False
    switch_s: float = 0.0
    rest_after_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Circuit:
    """Several steps done one after another, the whole round repeated."""

    name: str
    rounds: int
    steps: tuple[ExerciseStep | Activity, ...]
    rest_s: float = 0.0
    """Between the steps of a round."""
    round_rest_s: float = 0.0
    """Between rounds."""
    rest_after_s: float = 0.0
    get_ready_s: float = 0.0
    """Between steps and rounds that have no rest between them."""
    rest_as: Activity | None = None
    """The rest between steps as the author named it ("Walk", with its cues), if named."""
    round_rest_as: Activity | None = None
    """The rest between rounds, if named."""


class IntervalKind(StrEnum):
    """How the rounds of an Intervals step are timed."""

    INTERVALS = "intervals"
    """Work and rest by the clock, such as a Tabata (8 × 20 s on, 10 s off)."""
    EMOM = "emom"
    """Every minute (or every N seconds) on the minute: the work, then rest until the next."""
    AMRAP = "amrap"
    """As many rounds as possible of the steps in a time."""


@dataclass(frozen=True, slots=True)
class Intervals:
    """Rounds timed by the clock. INTERVALS: `rounds` of `work_s` work and `rest_s` rest, the
    steps in turn; EMOM: `rounds` periods of `work_s`, each the work of one step (in turn) and
    rest to the period's end; AMRAP: the steps again and again for `work_s` (rounds: 1)."""

    kind: IntervalKind
    name: str
    rounds: int
    work_s: float
    steps: tuple[ExerciseStep | Activity, ...]
    rest_s: float = 0.0
    rest_after_s: float = 0.0
    rest_as: Activity | None = None
    """The rest between rounds as the author named it ("Walk", with its cues), if named."""

    def step_of(self, round_no: int) -> ExerciseStep | Activity:
        """The step done in a round (1-based): the steps take turns."""
        return self.steps[(round_no - 1) % len(self.steps)]

    def as_activity(self) -> Activity:
        """An AMRAP as the player times it: one activity, with its steps' start cues."""
        cues = tuple(c for s in self.steps for c in s.cues if c.at is CueAt.START)
        return Activity(self.name, self.work_s, cues)


Step = ExerciseStep | Activity | Circuit | Intervals


def intervals_of(step: Step, kind: IntervalKind) -> Intervals | None:
    """The step, if it is rounds by the clock of this kind (an AMRAP, ...); else None."""
    return step if isinstance(step, Intervals) and step.kind is kind else None


class SectionKind(StrEnum):
    WARMUP = "warmup"
    MAIN = "main"
    COOLDOWN = "cooldown"

    @property
    def heading(self) -> str:
        return {"warmup": "Warm-up", "main": "Main workout", "cooldown": "Cool-down"}[self.value]


@dataclass(frozen=True, slots=True)
class Section:
    kind: SectionKind
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Written:
    """A text the author wrote for the coach to say, and where (`check` warns if it is unsaid)."""

    text: str
    what: str
    """name, cue or mistake"""
    path: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Routine:
    """A whole workout, ready to plan."""

    name: str
    sections: tuple[Section, ...]
    description: str = ""
    voice: Voice = field(default_factory=Voice)
    verbosity: Verbosity = Verbosity.NORMAL
    per_week: int | None = None
    """How many sessions a week the routine recommends."""
    sounds: tuple[tuple[str, Path], ...] = ()
    """The routine's own sound files by sound name (lower, hold, press, ...), replacing ours."""
    source: Path | None = None
    """The file it was loaded from, if any."""
    exercises: tuple[tuple[str, Exercise], ...] = ()
    """Every exercise it defines or includes, by id: a progression may move on to one."""
    written: tuple[Written, ...] = field(default=(), compare=False)
    get_ready_s: float = 0.0
    """Between two steps with no rest between them: time to say the next and count it in."""
    libraries: tuple[Path, ...] = field(default=(), compare=False)
    """The library files it includes (a file written must never be one of them)."""
    """The names, cues and mistakes as written, with their places (not part of its value)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What the config file or the command line sets over the routine; None keeps the routine's.
    Strength, weakest first: the routine, the config file, the command line (see `over`)."""

    verbosity: Verbosity | None = None
    voice: str | None = None
    rate: int | None = None
    volume: float | None = None
    engine: str | None = None
    media_keys: bool | None = None
    """Answer headphone buttons and media keys (MPRIS); the config file's `media_keys`."""
    duck_db: float | None = None
    """How far other sound goes down while the coach is heard (dB; 0: not at all)."""
    music: Path | None = None
    """One's own music under the coach: a file, or a folder of them."""
    shuffle: bool | None = None
    """A folder of music shuffled (else in order)."""
    output: str | None = None
    """The audio output: `stream` (one for the whole workout; the default) or `simpleaudio`."""
    listen: bool | None = None
    """Obey spoken commands (`play --listen`, the config file's `listen`): off by default."""
    ask_done_after_s: float | None = None
    """How long past its estimate a set at one's own pace goes before "Done?" is asked."""

    def as_voice(self) -> Voice:
        """The voice these settings name, on their own (the volume is the mix's, not a voice's)."""
        return Voice(self.voice, self.rate, engine=self.engine)

    def voice_for(self, routine: Routine) -> Voice:
        base = routine.voice
        return replace(
            base,
            name=self.voice or base.name,
            name_at=None if self.voice else base.name_at,
            rate=self.rate or base.rate,
            volume=self.volume if self.volume is not None else base.volume,
            engine=self.engine or base.engine,
        )

    def over(self, base: Settings) -> Settings:
        """These settings where given, `base` elsewhere."""
        return Settings(
            self.verbosity or base.verbosity,
            self.voice or base.voice,
            self.rate or base.rate,
            self.volume if self.volume is not None else base.volume,
            self.engine or base.engine,
            self.media_keys if self.media_keys is not None else base.media_keys,
            self.duck_db if self.duck_db is not None else base.duck_db,
            self.music or base.music,
            self.shuffle if self.shuffle is not None else base.shuffle,
            self.output or base.output,
            self.listen if self.listen is not None else base.listen,
            self.ask_done_after_s if self.ask_done_after_s is not None else base.ask_done_after_s,
        )
