"""The clip cache: lengths in memory, samples on disk, so a workout with many distinct phrases
does not keep them all (issue 26, point 5)."""

from __future__ import annotations

import gc
import os
import tracemalloc
from pathlib import Path

import numpy as np

from voicecoach import load_routine_text
from voicecoach.playback.clips import ClipCache
from voicecoach.playback.prepare import prepare
from voicecoach.routine.model import Settings, Voice
from voicecoach.sound.audio import SAMPLE_RATE
from voicecoach.sound.mix import READY_CLIPS
from voicecoach.testing.fakes import CannedSpeech

MB = 1 << 20


def many_phrases(steps: int) -> str:
    """Activities with long names never said before: several seconds of speech each."""
    lines = ["name: Many", "defaults: {get_ready: 0s}", "main:"]
    for n in range(steps):
        lines.append(f"  - {{activity: Slow movement number {n} of the long list, duration: 9s}}")
    return "\n".join(lines) + "\n"


def retained_mb(make: object) -> tuple[float, object]:
    """What `make()` leaves allocated (its result kept alive), in MB."""
    assert callable(make)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = make()
        gc.collect()
        return (tracemalloc.get_traced_memory()[0] - before) / MB, result
    finally:
        tracemalloc.stop()


def test_measuring_every_phrase_keeps_no_samples(tmp_path: Path) -> None:
    """Every form of every phrase is measured for placement (a 7,000-step routine: 1.8 GB of
    clips, all kept in memory); the cache now keeps their lengths only."""
    routine = load_routine_text(many_phrases(150))
    speech = CannedSpeech()
    clips = ClipCache(speech, tmp_path)
    used, _ = retained_mb(lambda: prepare(routine, Settings(), clips))
    rendered_mb = sum(p.stat().st_size for p in tmp_path.rglob("*.wav")) / MB
    assert rendered_mb > 50  # (in memory, float32 samples take twice as much)
    assert used < 10, f"{used:.0f} MB kept for {len(speech.rendered)} phrases"


def test_mixing_a_long_workout_keeps_a_bounded_number_of_clips(tmp_path: Path) -> None:
    routine = load_routine_text(many_phrases(2 * READY_CLIPS))
    clips = ClipCache(CannedSpeech(), tmp_path)
    sheet, mixer = prepare(routine, Settings(), clips)
    said = {c.text for c in sheet.speech}
    longest_s = max(clips.clip(text, Voice()).duration_s for text in said)
    longest_mb = longest_s * SAMPLE_RATE * 4 / MB

    def mix_all() -> int:
        return sum(len(s.audio.samples) for s in mixer.segments(sheet.cues))

    used, _ = retained_mb(mix_all)
    assert len(said) > 2 * READY_CLIPS
    assert used < (READY_CLIPS + 8) * longest_mb, f"{used:.0f} MB kept by the mixer"


def test_a_clip_is_read_back_as_it_was_stored(tmp_path: Path) -> None:
    """So a first run mixes what a second run (from disk) does."""
    first = ClipCache(CannedSpeech(), tmp_path).clip("Hello there.", Voice())
    second = ClipCache(CannedSpeech(), tmp_path)
    again = second.clip("Hello there.", Voice())
    assert second.rendered == 0
    assert np.array_equal(first.samples, again.samples)


def test_lengths_come_from_disk_without_rendering(tmp_path: Path) -> None:
    ClipCache(CannedSpeech(), tmp_path).clip("Hello there.", Voice())
    fresh = ClipCache(CannedSpeech(), tmp_path)
    length = fresh.length("Hello there.", Voice())
    assert fresh.rendered == 0
    assert length == fresh.clip("Hello there.", Voice()).duration_s


def test_a_cut_clip_on_disk_is_rendered_again(tmp_path: Path) -> None:
    whole = ClipCache(CannedSpeech(), tmp_path).clip("Hello there.", Voice())
    (path,) = tmp_path.rglob("*.wav")
    os.truncate(path, path.stat().st_size // 2)
    fresh = ClipCache(CannedSpeech(), tmp_path)
    assert fresh.length("Hello there.", Voice()) == whole.duration_s
    assert fresh.rendered == 1


def test_an_unwritable_folder_keeps_clips_in_memory_and_renders_each_once(
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    speech = CannedSpeech()
    clips = ClipCache(speech, blocked / "clips")
    length = clips.length("Hello there.", Voice())
    assert clips.clip("Hello there.", Voice()).duration_s == length
    assert speech.rendered == ["Hello there."]
