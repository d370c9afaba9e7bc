"""`voicecoach stats --plot`: reps per exercise per session, drawn with matplotlib (optional)."""

from __future__ import annotations

import math
from pathlib import Path

from voicecoach.errors import OutputError, VoicecoachError
from voicecoach.records.stats import Stats


def plot_reps(result: Stats, path: Path) -> None:
    """A PNG with one line per exercise: the reps done in each session (gaps where it was not
    done)."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # a file, never a window
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise VoicecoachError(
            "stats --plot needs matplotlib: pip install 'voicecoach[plot]'"
        ) from e
    if not result.sessions:
        raise VoicecoachError("nothing to plot yet: no workout has a set done")
    figure, axes = plt.subplots(figsize=(9, 5), dpi=100)
    x = list(range(len(result.sessions)))
    for name in sorted(result.reps):
        reps = [by.get(name, math.nan) for _, _, by in result.sessions]
        axes.plot(x, reps, marker="o", label=name)
    labels = [f"#{sid}\n{day:%m-%d}" for sid, day, _ in result.sessions]
    step = max(1, len(labels) // 20)
    axes.set_xticks(x[::step], labels[::step])
    axes.set_ylabel("reps done")
    axes.set_xlabel("session")
    axes.set_title("Reps per exercise per session")
    axes.grid(alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    try:
        figure.savefig(path, format="png")
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror}") from e
    finally:
        plt.close(figure)
