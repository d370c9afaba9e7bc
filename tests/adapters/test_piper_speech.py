"""Piper, the natural voice: real synthesis with the bundled en_US-joe-medium voice.

make test installs the neural extra; these tests skip only where Piper is not installed, and
never when CI=true.
"""

from __future__ import annotations

import importlib.util
import json
import re
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import Result

from tests.helpers import IN_CI, ROUTINES, check_against_sheet, read_samples, requires_espeak
from voicecoach import load_routine
from voicecoach.adapters.espeak_speech import EspeakSpeech
from voicecoach.adapters.piper_speech import PiperSpeech
from voicecoach.adapters.speech_engines import choose_speech
from voicecoach.errors import ExitStatus
from voicecoach.playback.clips import ClipCache
from voicecoach.playback.prepare import prepare
from voicecoach.routine.model import Settings, Voice

requires_piper = pytest.mark.skipif(
    not IN_CI and importlib.util.find_spec("piper") is None,
    reason="needs piper-tts (make test installs voicecoach[neural]); never skipped when CI=true",
)

PHRASE = "Wide-grip pushups. Set two of three. Ten reps."


@pytest.fixture(scope="module")
def piper() -> PiperSpeech:
    return PiperSpeech()  # loading the voice takes a second: once for the module


@requires_piper
def test_a_phrase_is_a_clip_of_plausible_length_and_rate_changes_its_pace(
    piper: PiperSpeech,
) -> None:
    clip = piper.render(PHRASE, Voice())
    assert 1.5 <= clip.duration_s <= 5.0, clip.duration_s
    assert float(np.sqrt(np.mean(np.square(clip.samples)))) > 0.02  # not silence
    fast = piper.render(PHRASE, Voice(rate=350))  # twice the default pace
    assert fast.duration_s < 0.7 * clip.duration_s


@requires_piper
def test_the_cache_hits_the_second_time_and_never_mixes_engines(
    piper: PiperSpeech, tmp_path: Path
) -> None:
    first = ClipCache(piper, tmp_path)
    first.clip(PHRASE, Voice())
    second = ClipCache(piper, tmp_path)
    again = second.clip(PHRASE, Voice())
    assert (first.rendered, second.rendered) == (1, 0)
    assert again.duration_s > 1.0
    assert piper.key.startswith("piper-1.8")
    assert "en_US-joe-medium" in piper.key


@requires_piper
@requires_espeak
def test_render_with_piper_puts_every_cue_in_place(
    run: Callable[..., Result], tmp_path: Path, clip_cache_dir: Path, piper: PiperSpeech
) -> None:
    out = tmp_path / "demo.wav"
    result = run("render", "quick-demo", "--engine", "piper", "-o", str(out))
    assert result.exit_code == 0, result.output
    routine = load_routine(ROUTINES / "quick-demo.yaml")
    sheet, mixer = prepare(routine, Settings(engine="piper"), ClipCache(piper, clip_cache_dir))
    check_against_sheet(read_samples(out), sheet, mixer)
    planned = json.loads(run("plan", "quick-demo", "--engine", "piper", "--json").output)
    spoken = [(c["t"], c["text"], c["duration"]) for c in planned["cues"] if "text" in c]
    # plan --json shows what render played: the same phrases, times and Piper's lengths.
    assert spoken == [(round(c.at_s, 4), c.text, round(c.duration_s, 4)) for c in sheet.speech]


@requires_piper
def test_a_broken_or_incomplete_voice_is_one_line_and_status_1(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not a model")
    (tmp_path / "broken.onnx.json").write_text("{}")
    result = run("say", "Hello", "--engine", "piper", "--voice", str(broken))
    assert result.exit_code == ExitStatus.ERROR
    assert result.output.startswith(f"cannot load the Piper voice {broken}: ")
    assert len(result.output.strip().splitlines()) == 1
    lonely = tmp_path / "lonely.onnx"
    lonely.write_bytes(b"x")
    missing = run("say", "Hello", "--voice", str(lonely))  # an .onnx voice means Piper
    assert missing.exit_code == ExitStatus.ERROR
    assert f"no Piper voice file {lonely}.json" in missing.output


@requires_espeak
def test_auto_falls_back_to_espeak_when_piper_is_absent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "piper", None)  # as if not installed
    assert isinstance(choose_speech("auto"), EspeakSpeech)
    with pytest.raises(Exception, match=r"pip install 'voicecoach\[neural\]'"):
        choose_speech("piper")


@requires_piper
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--engine", "pyttsx3", "--voice", "me.onnx"], "'me.onnx' is a Piper voice"),
        (["--engine", "piper", "--voice", "en-gb"], "with Piper, a voice is a .onnx file"),
    ],
)
def test_a_voice_that_does_not_suit_the_engine_is_a_usage_error(
    run: Callable[..., Result], args: list[str], says: str
) -> None:
    result = run("say", "Hello", *args)
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.output.startswith(says)


@requires_piper
def test_a_voice_of_one_s_own_is_known_by_its_content(tmp_path: Path) -> None:
    def voice(folder: str, content: bytes) -> Path:
        model = tmp_path / folder / "me.onnx"
        model.parent.mkdir()
        model.write_bytes(content)
        model.with_name("me.onnx.json").write_text("{}")
        return model

    first = PiperSpeech(voice("v1", b"weights " * 100))
    retrained = PiperSpeech(voice("v2", b"weighs " * 100 + b"!" * 100))  # same size
    assert first.key != retrained.key  # (loading happens at the first phrase, not here)


@requires_piper
def test_voices_names_the_engine_of_the_config_file(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("engine: piper\n")
    monkeypatch.setenv("VOICECOACH_CONFIG", str(config))
    shown = run("voices").output.splitlines()
    assert re.fullmatch(r"Speech: Piper 1\.\d+\S* \(voice en_US-joe-medium\.onnx\)", shown[0])
    assert shown[1].startswith("Engine: piper-1.8")
    assert "en_US-joe-medium" in shown[2]
    monkeypatch.delenv("VOICECOACH_CONFIG")  # auto, the default, says why it chose Piper
    assert (
        run("voices")
        .output.splitlines()[0]
        .endswith(
            "(voice en_US-joe-medium.onnx); auto chose Piper, the natural voice: it is installed"
        )
    )


def test_a_routine_s_piper_voice_is_found_beside_it(tmp_path: Path) -> None:
    from voicecoach.errors import RoutineError

    routine = tmp_path / "r.yaml"
    routine.write_text(
        "name: R\nvoice: {name: me.onnx}\nexercises: {p: {name: P}}\n"
        "main: [{exercise: p, reps: 1}]\n"
    )
    with pytest.raises(
        RoutineError, match=r"r.yaml:2:15: voice name: no Piper voice file 'me.onnx'"
    ):
        load_routine(routine)
    (tmp_path / "me.onnx").write_bytes(b"x")
    assert load_routine(routine).voice.name == str(tmp_path / "me.onnx")


def test_resume_goes_on_with_the_voice_it_started_with(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from voicecoach.cli import Effects, cli
    from voicecoach.testing.fakes import CannedSpeech, FakeClock, RecordingAudioOut, ScriptedKeys

    asked: list[Voice] = []

    def speech(voice: Voice) -> CannedSpeech:
        asked.append(voice)
        return CannedSpeech()

    def effects(presses: list[tuple[float, str]]) -> Effects:
        clock = FakeClock()
        return Effects(
            speech=speech, audio_out=lambda: RecordingAudioOut(clock), clock=lambda: clock,
            keys=lambda _: ScriptedKeys(clock, presses), cache_dir=tmp_path / "clips",
        )  # fmt: skip

    args = ["play", "quick-demo", "--engine", "piper", "--rate", "150"]
    CliRunner().invoke(cli, args, obj=effects([(1020.0, "q"), (1021.0, "q")]))
    resumed = CliRunner().invoke(cli, ["resume"], obj=effects([]))
    assert resumed.exit_code == 0, resumed.output
    assert (asked[-1].engine, asked[-1].rate) == ("piper", 150)


@requires_piper
def test_play_with_a_voice_that_does_not_load_fails_before_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The speech is rendered on a thread while the workout plays; a voice that cannot speak
    still ends `play` at once with its one-line error, and records no session."""
    from click.testing import CliRunner

    from voicecoach.cli import Effects, cli
    from voicecoach.records.history import History
    from voicecoach.testing.fakes import FakeClock, RecordingAudioOut

    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not a model")
    (tmp_path / "broken.onnx.json").write_text("{}")
    db = tmp_path / "history.db"
    clock = FakeClock()
    effects = Effects(
        audio_out=lambda: RecordingAudioOut(clock), clock=lambda: clock, cache_dir=tmp_path
    )
    args = ["play", "quick-demo", "--voice", str(broken), "--db", str(db), "-v"]
    result = CliRunner().invoke(cli, args, obj=effects)
    assert result.exit_code == ExitStatus.ERROR, result.output
    told, error = result.output.splitlines()
    assert told.startswith("Speech: Piper 1.")
    assert told.endswith(
        "(voice broken.onnx); auto chose Piper, the natural voice: it is installed"
    )
    assert error.startswith(f"cannot load the Piper voice {broken}: ")
    assert list(History(db).each_session("Quick demo")) == []


@requires_espeak
def test_auto_says_why_it_is_not_piper(
    run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "piper", None)  # as if not installed
    shown = run("voices").output.splitlines()
    assert shown[0].startswith("Speech: espeak-ng-")
    assert shown[0].endswith(
        "; auto chose espeak-ng: Piper is not installed: pip install 'voicecoach[neural]' "
        "(or use --engine pyttsx3)"
    )


@requires_piper
@requires_espeak
def test_a_rate_changes_the_pace_alike_with_both_engines(piper: PiperSpeech) -> None:
    espeak = EspeakSpeech()

    def length(engine: PiperSpeech | EspeakSpeech, rate: int) -> float:
        """The median of five renders: Piper's phrase lengths vary by a few % a render (its
        noise), which made a single pair land outside the tolerance now and then."""
        return statistics.median(
            engine.render(PHRASE, Voice(rate=rate)).duration_s for _ in "12345"
        )

    def pace(engine: PiperSpeech | EspeakSpeech, rate: int) -> float:
        """How much longer the phrase is at `rate` than at 175 words a minute."""
        return length(engine, rate) / length(engine, 175)

    for rate in (120, 250):
        assert pace(piper, rate) == pytest.approx(pace(espeak, rate), rel=0.1), rate
