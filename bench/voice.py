"""Spoken commands measured through a private PulseAudio server (prints; asserts nothing).

  .venv/bin/python bench/voice.py            # about 3 minutes
  .venv/bin/python bench/voice.py --whole    # and a whole workout (4 min) said nothing to

`play --listen` of a routine of holds over a steady tone as one's own music, on one stream;
20 commands spoken into a second null sink whose monitor is the default source, by three
espeak-ng voices in turn, each once the coach is quiet (as a person would), the coach's sound
and the music leaking into it 10 dB lower (voicecoach/testing/voice.py). Printed: the
commands obeyed, the time from the end of each word to its command on the key queue (median
and max), the false actions (keys no word asked for), and the CPU of the process with
listening on against the same routine played without it (per second of the run). With
--whole: the whole routine played with listening on and nothing said, the coach and the music
leaking in: the keys put (false actions; there should be none).
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecoach.testing.pulse import PulseServer  # noqa: E402
from voicecoach.testing.voice import VoiceRun, speak_commands  # noqa: E402

HOLDS = """name: Holds
verbosity: quiet
exercises: {plank: {name: Plank, duration: 60s}}
main: [{exercise: plank, sets: 3, rest: 20s}]
"""
WORDS = [
    "louder", "quiet", "pause", "resume", "repeat", "next", "back", "pause", "continue",
    "louder", "quiet", "pause", "resume", "again", "next", "pause", "resume", "back",
    "stop", "yes",
]  # fmt: skip
"""Twenty commands; "stop" and "yes" end the workout."""


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measured(folder: Path, listen: bool, said: bool = True) -> tuple[VoiceRun, float, float]:
    """One run on a fresh server: what came of it, its CPU seconds and its wall seconds."""
    (folder / "server").mkdir(parents=True)
    pulse = PulseServer(folder / "server")
    pulse.start()
    os.environ["PULSE_SERVER"] = pulse.env["PULSE_SERVER"]
    commands = [(6.0 + 3.5 * i, word) for i, word in enumerate(WORDS)] if said else []
    routine = HOLDS if listen else HOLDS.replace("sets: 3", "sets: 1")
    try:
        cpu, wall = cpu_s(), time.monotonic()
        run = speak_commands(pulse, folder, routine, commands, listen=listen)
        return run, cpu_s() - cpu, time.monotonic() - wall
    finally:
        pulse.stop()


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        if "--whole" in sys.argv:
            whole, whole_cpu, whole_wall = measured(Path(scratch) / "whole", True, said=False)
            print(f"a whole workout ({whole_wall:.0f} s) with nothing said: "
                  f"{len(whole.put)} keys put {whole.put}, {len(whole.heard)} utterances left "
                  f"out, CPU {whole_cpu / whole_wall * 100:.1f}% of a core")  # fmt: skip
        run, cpu, wall = measured(Path(scratch) / "listen", listen=True)
        quiet, quiet_cpu, quiet_wall = measured(Path(scratch) / "not", listen=False, said=False)
    obeyed = run.obeyed()
    late = [s for _, s in obeyed if s is not None]
    print(f"commands obeyed: {len(late)} of {len(obeyed)}")
    for said, s in obeyed:
        print(f"  {said.word:9} {'missed' if s is None else f'{s * 1000:.0f} ms'}")
    if late:
        print(f"end of word to command: median {statistics.median(late) * 1000:.0f} ms, "
              f"max {max(late) * 1000:.0f} ms")  # fmt: skip
    print(f"false actions: {len(run.false_actions())} {run.false_actions()}")
    print(f"not commands: {[(h.text, h.why_not) for _, h in run.heard if h.command is None]}")
    print(f"CPU with listening: {cpu / wall * 100:.1f}% of a core over {wall:.0f} s; "
          f"without: {quiet_cpu / quiet_wall * 100:.1f}% over {quiet_wall:.0f} s")  # fmt: skip
    print(f"record streams without --listen: {[o for o in quiet.opened if 'voicecoach' in o]}")


if __name__ == "__main__":
    main()
