"""`voicecoach stats --plot`: reps per exercise per session, drawn with matplotlib (optional)."""

from __future__ import annotations

import math
from pathlib import Path

from voicecoach.errors import OutputError, VoicecoachError
from voicecoach.output_files import written_whole
from voicecoach.printable import printable
from voicecoach.records.stats import Stats


def plot_reps(result: Stats, path: Path) -> None:
    """A chart with one line per exercise: the reps done in each session (gaps where it was not
    done); PNG, or PDF or SVG by the file's name."""
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
        axes.plot(x, reps, marker="o", label=printable(name))  # no glyph for a control code
    labels = [f"#{sid}\n{day:%m-%d}" for sid, day, _ in result.sessions]
    step = max(1, len(labels) // 20)
    axes.set_xticks(x[::step], labels[::step])
    axes.set_ylabel("reps done")
    axes.set_xlabel("session")
    axes.set_title("Reps per exercise per session")
    axes.grid(alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    kind = path.suffix.lstrip(".").lower() or "png"
    if kind not in ("png", "pdf", "svg"):  # PNG data in a .jpg was a surprise
        raise OutputError(f"{printable(path.name)}: give a .png, .pdf or .svg file name")
    try:
        with written_whole(path) as out:
            figure.savefig(out, format=kind)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror}") from e
    finally:
        plt.close(figure)
