"""Speech rendered ahead: a workout starts on its first chapter's phrases, and plays exactly
what the whole sheet, compiled first, would have played."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import ROUTINES
from tests.fakes import CannedSpeech, FakeClock, RecordingAudioOut
from voicecoach import load_routine
from voicecoach.audio import Audio
from voicecoach.errors import SpeechError
from voicecoach.model import Settings, Voice
from voicecoach.player import Player
from voicecoach.speech import ClipCache
from voicecoach.workout import prepare, prepare_ahead

QUICK_DEMO = ROUTINES / "quick-demo.yaml"


class GatedSpeech(CannedSpeech):
    """Renders the first `free` phrases at once; every later one waits for `go` (a slow
    engine, as Piper is the first time)."""

    def __init__(self, free: int) -> None:
        super().__init__()
        self.free = free
        self.go = threading.Event()

    def render(self, text: str, voice: Voice) -> Audio:
        if len(self.rendered) >= self.free and not self.go.wait(timeout=10):
            raise AssertionError("the test never let the rest be rendered")
        return super().render(text, voice)


def test_the_sheet_compiled_ahead_is_the_sheet_compiled_first(tmp_path: Path) -> None:
    routine = load_routine(ROUTINES / "pushups-for-back.yaml")
    whole, _ = prepare(routine, Settings(), ClipCache(CannedSpeech(), tmp_path / "a"))
    with prepare_ahead(routine, Settings(), ClipCache(CannedSpeech(), tmp_path / "b"))[0] as sheet:
        assert sheet.complete() == whole
        assert sheet.compiled_s == whole.plan.duration_s


def test_the_workout_starts_before_later_phrases_are_rendered(tmp_path: Path) -> None:
    routine = load_routine(QUICK_DEMO)
    speech = GatedSpeech(free=3)  # the intro and the first announcement
    sheet, mixer = prepare_ahead(routine, Settings(), ClipCache(speech, tmp_path / "clips"))
    gate_open_at_first_sound: list[bool] = []
    first_heard = threading.Event()

    class Watching(RecordingAudioOut):
        def play(self, audio: Audio):  # type: ignore[no-untyped-def]
            if not gate_open_at_first_sound:
                gate_open_at_first_sound.append(speech.go.is_set())
                first_heard.set()
            return super().play(audio)

    clock = FakeClock()
    out = Watching(clock)
    player = Player(sheet, mixer, out, clock)
    playing = threading.Thread(target=player.play)
    with sheet:
        playing.start()
        assert first_heard.wait(timeout=10), "nothing played before later phrases rendered"
        assert len(speech.rendered) <= 3
        speech.go.set()
        playing.join(timeout=30)
    assert not playing.is_alive()
    assert gate_open_at_first_sound == [False]
    intro = out.played[0][1]
    assert intro.duration_s < 5.0  # the opening words alone: a segment of its own

    # What was played is what the whole sheet, compiled before playing, plays.
    whole, whole_mixer = prepare(routine, Settings(), ClipCache(CannedSpeech(), tmp_path / "x"))
    expected = list(whole_mixer.segments(whole.cues, quick_start=True))
    start = out.played[0][0]
    assert [round(t - start, 6) for t, _ in out.played] == [round(s.start_s, 6) for s in expected]
    for (_, audio), segment in zip(out.played, expected, strict=True):
        assert (audio.samples == segment.audio.samples).all()


class FailingSpeech(CannedSpeech):
    def render(self, text: str, voice: Voice) -> Audio:
        if len(self.rendered) >= 5:
            raise SpeechError(f"the engine could not render {text!r}")
        return super().render(text, voice)


def test_an_engine_failing_mid_way_stops_the_reader_with_its_error(tmp_path: Path) -> None:
    routine = load_routine(QUICK_DEMO)
    sheet, _ = prepare_ahead(routine, Settings(), ClipCache(FailingSpeech(), tmp_path))
    with sheet:
        sheet.wait_for_start()  # the first chapter rendered
        with pytest.raises(SpeechError, match="the engine could not render"):
            list(sheet.cues)


def test_closing_stops_the_rendering_thread(tmp_path: Path) -> None:
    routine = load_routine(ROUTINES / "pushups-for-back.yaml")
    speech = GatedSpeech(free=3)
    clips = ClipCache(speech, tmp_path)
    sheet, _ = prepare_ahead(routine, Settings(), clips)
    sheet.wait_for_start()
    clips.close()  # (as sheet.close() does first) while the thread waits in a render
    speech.go.set()
    sheet.close()
    assert not sheet._thread.is_alive()
    assert len(speech.rendered) in (3, 4)  # the one under way (if it began), and no more
