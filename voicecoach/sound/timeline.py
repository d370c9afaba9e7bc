"""Clips placed at sample positions of one endless timeline, mixed a block at a time as a
stream is fed (adapters/pulse_stream.py). Pure: no threads, no device.

A clip starts at an absolute sample index of the stream; the block from `start` to
`start + count` is the sum of every clip under it (zeros where there is none), so two clips
handed over separately still sit exactly where they were placed, to the sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voicecoach.sound.audio import Samples


@dataclass(eq=False, slots=True)
class Placed:
    """A clip on the timeline."""

    start: int
    """The sample index of the stream where it begins."""
    samples: Samples
    removed: bool = False

    @property
    def end(self) -> int:
        return self.start + len(self.samples)


class Timeline:
    """The clips still to be mixed (wholly or in part), in no particular order."""

    def __init__(self) -> None:
        self._clips: list[Placed] = []

    def __len__(self) -> int:
        return len(self._clips)

    def place(self, samples: Samples, start: int) -> Placed:
        clip = Placed(start, samples)
        self._clips.append(clip)
        return clip

    def remove(self, clip: Placed) -> None:
        """Take it off (what was mixed already stays mixed)."""
        clip.removed = True
        if clip in self._clips:
            self._clips.remove(clip)

    def cut(self, at: int) -> None:
        """Nothing from sample `at` on: clips after it taken off, one under way ends there
        (what comes next is placed from `at`, edge to edge with what was there)."""
        for clip in self._clips:
            if clip.start >= at:
                clip.removed = True
            elif clip.end > at:
                clip.samples = clip.samples[: at - clip.start]
        self._clips = [c for c in self._clips if not c.removed]

    def clear(self) -> None:
        for clip in self._clips:
            clip.removed = True
        self._clips.clear()

    def mix(self, start: int, count: int) -> Samples:
        """Samples `start` to `start + count`: every clip under them summed. Clips that end
        within the block are forgotten: the timeline is only ever read forwards."""
        block = np.zeros(count, dtype=np.float32)
        end = start + count
        for clip in self._clips:
            if clip.start >= end or clip.end <= start:
                continue
            lo, hi = max(clip.start, start), min(clip.end, end)
            block[lo - start : hi - start] += clip.samples[lo - clip.start : hi - clip.start]
        self._clips = [c for c in self._clips if c.end > end]
        return block


def faded_out(samples: Samples) -> Samples:
    """The samples going down to silence over their length (no click where a sound stops)."""
    ramp = np.linspace(1.0, 0.0, len(samples), dtype=np.float32)
    return (samples * ramp).astype(np.float32)
