"""Speech rendered ahead: a workout starts on its first chapter's phrases, and plays exactly
what the whole sheet, compiled first, would have played."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from tests.helpers import ROUTINES
from voicecoach import load_routine
from voicecoach.errors import SpeechError
from voicecoach.playback.clips import ClipCache
from voicecoach.playback.player import Player
from voicecoach.playback.prepare import prepare, prepare_ahead
from voicecoach.routine.model import Settings, Voice
from voicecoach.sound.audio import Audio
from voicecoach.sound.segment import Segment
from voicecoach.testing.fakes import CannedSpeech, FakeClock, RecordingAudioOut, track

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


def test_the_workout_starts_before_later_phrases_are_rendered(tmp_path: Path) -> None:
    routine = load_routine(QUICK_DEMO)
    speech = GatedSpeech(free=5)  # the intro, the first announcement and its countdown
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
        assert len(speech.rendered) <= 5, speech.rendered
        speech.go.set()
        playing.join(timeout=30)
    assert not playing.is_alive()
    assert gate_open_at_first_sound == [False]
    intro = out.played[0][1]
    assert intro.duration_s < 5.0  # the opening words alone: a segment of its own

    # What was played is what the whole sheet, compiled before playing, plays (cut into
    # more segments: each wait for a chapter ended one, rather than starting the next late).
    whole, whole_mixer = prepare(routine, Settings(), ClipCache(CannedSpeech(), tmp_path / "x"))
    expected = list(whole_mixer.segments(whole.cues))
    assert len(out.played) > len(expected)
    start = out.played[0][0]
    heard = [Segment(t - start, audio) for t, audio in out.played]
    np.testing.assert_allclose(track(heard, whole), track(expected, whole), atol=1e-4)


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


def test_closing_stops_the_rendering_thread_at_its_next_phrase(tmp_path: Path) -> None:
    routine = load_routine(ROUTINES / "pushups-for-back.yaml")
    speech = GatedSpeech(free=5)
    sheet, _ = prepare_ahead(routine, Settings(), ClipCache(speech, tmp_path))
    with sheet:
        sheet.wait_for_start()
        closing = threading.Thread(target=sheet.close)
        closing.start()  # it waits for the phrase under way...
        speech.go.set()  # ... which may now finish
        closing.join(timeout=10)
        assert not closing.is_alive()
        assert not sheet._thread.is_alive()
    assert len(speech.rendered) <= 6  # the first chapter's 5, the one under way, no more


def test_an_engine_bound_to_one_thread_renders_everything_first(tmp_path: Path) -> None:
    class OneThread(CannedSpeech):
        thread_bound = True

        def render(self, text: str, voice: Voice) -> Audio:
            assert threading.current_thread() is threading.main_thread()
            return super().render(text, voice)

    routine = load_routine(QUICK_DEMO)
    whole, _ = prepare(routine, Settings(), ClipCache(CannedSpeech(), tmp_path / "a"))
    with prepare_ahead(routine, Settings(), ClipCache(OneThread(), tmp_path / "b"))[0] as sheet:
        assert sheet.complete() == whole
