"""The play, say and voices commands with a fake clock, a recording output and canned speech
(the player itself is in test_player.py; the real path in test_pulseaudio.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.helpers import ROUTINES
from voicecoach import load_routine
from voicecoach.cli import Effects, cli
from voicecoach.coach.phrases import estimated_length
from voicecoach.errors import AudioError, ExitStatus, SpeechError
from voicecoach.playback.clips import ClipCache
from voicecoach.playback.prepare import prepare
from voicecoach.routine.model import Settings, Voice
from voicecoach.sound.segment import Segment
from voicecoach.testing.fakes import (
    CannedSpeech,
    FakeClock,
    RecordingAudioOut,
    StreamAudioOut,
    track,
)


def fakes(tmp_path: Path) -> tuple[Effects, RecordingAudioOut]:
    clock = FakeClock()
    out = RecordingAudioOut(clock)
    effects = Effects(
        speech=CannedSpeech, audio_out=lambda: out, clock=lambda: clock, cache_dir=tmp_path
    )
    return effects, out


def test_play_command_plays_the_whole_workout_on_time(tmp_path: Path) -> None:
    effects, out = fakes(tmp_path)
    result = CliRunner().invoke(cli, ["play", "quick-demo"], obj=effects)
    assert result.exit_code == 0, result.output
    routine = load_routine(ROUTINES / "quick-demo.yaml")
    sheet, mixer = prepare(routine, Settings(), ClipCache(CannedSpeech(), tmp_path))
    expected = list(mixer.segments(sheet.cues))
    start = out.played[0][0]
    heard = [Segment(t - start, audio) for t, audio in out.played]  # (the fake clock runs
    # ahead of the speech rendered on a thread, so there are more segments: same sound)
    np.testing.assert_allclose(track(heard, sheet), track(expected, sheet), atol=1e-4)
    # Not a terminal: one plain line per step and per phrase, on the workout's clock.
    assert "0:30  Main workout · Standard pushups · set 1/2 · 3 reps\n0:30    » Go!\n" in (
        result.output
    )


def test_play_without_a_routine_plays_pushups_for_back(tmp_path: Path) -> None:
    effects, out = fakes(tmp_path)
    result = CliRunner().invoke(cli, ["play", "--verbosity", "quiet"], obj=effects)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Pushups for back: 44:11.")
    last_start, last = out.played[-1]
    assert last_start - out.played[0][0] + last.duration_s > 43.5 * 60  # the summary, at the end


def _no_device() -> RecordingAudioOut:
    raise AudioError("no audio device: plug in headphones, ...")


def _no_engine(voice: Voice) -> CannedSpeech:
    raise SpeechError("no text-to-speech engine: install espeak-ng")


@pytest.mark.parametrize(
    ("effect", "failing", "says"),
    [
        ("audio_out", _no_device, "no audio device: plug in headphones"),
        ("speech", _no_engine, "no text-to-speech engine: install espeak-ng"),
    ],
)
def test_a_missing_device_or_engine_says_so_in_one_line_and_exits_1(
    tmp_path: Path, effect: str, failing: object, says: str
) -> None:
    effects, _ = fakes(tmp_path)
    setattr(effects, effect, failing)
    result = CliRunner().invoke(cli, ["play", "quick-demo"], obj=effects)
    assert result.exit_code == ExitStatus.ERROR
    assert result.output.strip().splitlines()[-1].startswith(says)
    assert "Traceback" not in result.output


def test_no_voice_plays_beeps_and_prints_the_cues(tmp_path: Path) -> None:
    def no_engine(voice: Voice) -> CannedSpeech:
        raise AssertionError("--no-voice must not start the speech engine")

    effects, out = fakes(tmp_path)
    effects.speech = no_engine
    result = CliRunner().invoke(cli, ["play", "quick-demo", "--no-voice"], obj=effects)
    assert result.exit_code == 0, result.output
    assert "Quick demo. 3 minutes. First up: Arm circles." in result.output
    assert out.played  # the beeps


def test_silent_follows_a_workout_on_the_screen_with_no_audio_device(tmp_path: Path) -> None:
    """(Issue 23, 11.) `play --no-voice` needed an audio device: nobody could follow a
    workout on the screen alone. `--silent` needs neither a device nor a voice, and the
    history records it as any other workout."""

    def no_engine(voice: Voice) -> CannedSpeech:
        raise AssertionError("--silent must not start the speech engine")

    effects, _ = fakes(tmp_path)
    effects.audio_out = _no_device
    effects.speech = no_engine
    result = CliRunner().invoke(cli, ["play", "quick-demo", "--silent"], obj=effects)
    assert result.exit_code == 0, result.output
    assert "Quick demo. 3 minutes. First up: Arm circles." in result.output
    assert result.output.strip().splitlines()[-1] == "Done: 8 of 8 sets, 18 reps."
    assert "no audio device" not in result.output


def test_say_speaks_one_line(tmp_path: Path) -> None:
    effects, out = fakes(tmp_path)
    result = CliRunner().invoke(cli, ["say", "Three, two, one, go"], obj=effects)
    assert result.exit_code == 0, result.output
    ((_, audio),) = out.played
    assert audio.duration_s > estimated_length("Three, two, one, go")


def test_ctrl_c_mid_workout_says_what_was_done_and_exits_130(tmp_path: Path) -> None:
    effects, out = fakes(tmp_path)
    clock = effects.clock()

    def sleep_until(t: float) -> None:
        if t - 1000.0 >= 40.0:  # the fake clock starts at 1000
            raise KeyboardInterrupt
        clock.t = max(clock.t, t)  # type: ignore[attr-defined]

    clock.sleep_until = sleep_until  # type: ignore[method-assign]
    effects.clock = lambda: clock
    result = CliRunner().invoke(cli, ["play", "quick-demo"], obj=effects)
    assert result.exit_code == ExitStatus.INTERRUPTED
    assert "Stopped at 0:40 of 2:57: 1 of 8 sets done, 3 reps.\n" in result.output
    assert "Interrupted." not in result.output  # said once, with the summary
    assert out.playbacks[-1].stopped


def test_start_at_an_exercise_and_a_shorter_countdown(tmp_path: Path) -> None:
    effects, _ = fakes(tmp_path)
    args = ["play", "pushups-for-back", "--start-at", "diamond", "--countdown", "5"]
    result = CliRunner().invoke(cli, args, obj=effects)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].startswith("Today: Diamond pushups 3 × 8 (8-12), Decline pushups")
    assert lines[2] == "0:00  Get ready · 0:05"
    assert "0:05  Main workout · Diamond pushups · set 1/3 · 8 reps" in lines
    assert not any("Wide-grip" in line for line in lines)


def test_start_at_a_step_that_does_not_exist(tmp_path: Path) -> None:
    effects, _ = fakes(tmp_path)
    result = CliRunner().invoke(
        cli, ["play", "pushups-for-back", "--start-at", "daimond"], obj=effects
    )
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert "no step 'daimond' in Pushups for back; did you mean 'Diamond pushups'?" in (
        result.output
    )


def test_a_routine_that_cannot_start_leaves_no_history_file(
    tmp_path: Path, history_file: Path
) -> None:
    """The history is opened once the routine is known to be playable."""
    effects, _ = fakes(tmp_path)
    result = CliRunner().invoke(cli, ["play", "quick-demo", "--start-at", "nowhere"], obj=effects)
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert not history_file.exists()


def outputs(
    tmp_path: Path, stream: bool = True
) -> tuple[Effects, RecordingAudioOut, StreamAudioOut]:
    """Fakes of both outputs; with `stream` false, the one stream cannot open."""
    clock = FakeClock()
    simple, one = RecordingAudioOut(clock), StreamAudioOut(clock)

    def stream_out() -> StreamAudioOut:
        if not stream:
            raise AudioError("no sound server")
        return one

    effects = Effects(
        speech=CannedSpeech, audio_out=lambda: simple, stream_out=stream_out,
        clock=lambda: clock, cache_dir=tmp_path, media_keys=None,
    )  # fmt: skip
    return effects, simple, one


@pytest.mark.parametrize("named", [[], ["--output", "stream"]])
def test_play_plays_through_one_stream_by_default_and_says_so(
    tmp_path: Path, named: list[str]
) -> None:
    effects, simple, one = outputs(tmp_path)
    args = ["play", "quick-demo", *named, "-v", "--verbosity", "quiet"]
    result = CliRunner().invoke(cli, args, obj=effects)
    assert result.exit_code == 0, result.output
    assert one.played
    assert not simple.played
    assert one.late == 0
    assert result.stderr.count("Audio: one stream for the whole workout") == 1


def test_play_falls_back_to_simpleaudio_where_no_stream_opens(tmp_path: Path) -> None:
    effects, simple, _ = outputs(tmp_path, stream=False)
    args = ["play", "quick-demo", "-v", "--verbosity", "quiet"]
    result = CliRunner().invoke(cli, args, obj=effects)
    assert result.exit_code == 0, result.output
    assert simple.played
    assert result.stderr.count("Audio: simpleaudio") == 1
    assert "no one stream opens (no sound server)" in result.stderr
    effects, simple, _ = outputs(tmp_path, stream=False)
    quiet = CliRunner().invoke(cli, args[:-3], obj=effects)  # without -v: not a word of it
    assert quiet.exit_code == 0, quiet.output
    assert simple.played
    assert "Audio:" not in quiet.stderr


def test_the_config_file_chooses_the_output_and_the_command_line_beats_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("output: simpleaudio\n")
    monkeypatch.setenv("VOICECOACH_CONFIG", str(config))
    effects, simple, one = outputs(tmp_path)
    args = ["play", "quick-demo", "--verbosity", "quiet", "-v"]
    result = CliRunner().invoke(cli, args, obj=effects)
    assert result.exit_code == 0, result.output
    assert simple.played
    assert not one.played
    assert "Audio: simpleaudio, a stream a segment (as asked)" in result.stderr
    effects, simple, one = outputs(tmp_path)
    result = CliRunner().invoke(cli, [*args, "--output", "stream"], obj=effects)
    assert result.exit_code == 0, result.output
    assert one.played
    assert not simple.played
