"""Files a routine names: its own sounds, a Piper voice, exercise libraries; each looked up
inside the routine's folder (no escaping it with .. or a link) or among the bundled ones.
"""

from __future__ import annotations

import wave
from pathlib import Path

from yaml.nodes import Node

from voicecoach import paths
from voicecoach.routine import bundled
from voicecoach.routine.keys import ENGINES, SOUND_NAMES, VOICE_KEYS
from voicecoach.routine.model import Voice
from voicecoach.routine.prescription import Prescription
from voicecoach.routine.reader import NodeReader, quoted


class FileReader(NodeReader):
    """The parts of a routine that name files."""

    sound_lengths: tuple[tuple[str, float], ...] = ()
    """The seconds each of the routine's own sounds lasts, by name."""

    def voice(self, node: Node) -> Voice:
        fields = self.mapping(node, "voice", VOICE_KEYS)
        if not fields:
            return Voice()
        name = self.text(fields["name"], "voice name") if "name" in fields else None
        if name and name.endswith(".onnx"):  # a Piper voice: in the routine's folder, or absolute
            given = Path(name)
            found = inside(name, self.folder)
            if found is None and given.is_absolute() and paths.is_file(given):
                found = given
            if found is None:
                self.problem(
                    fields["name"],
                    f"voice name: no Piper voice file {quoted(name)}{outside(name, self.folder)}",
                )
            name = str(found) if found else None
        return Voice(
            name=name,
            rate=self.integer(fields["rate"], "voice rate (words per minute)", 80, 400)
            if "rate" in fields
            else None,
            volume=self.number(fields["volume"], "voice volume", 0.0, 1.0)
            if "volume" in fields
            else None,
            engine=self.choice(fields["engine"], "voice engine", ENGINES)
            if "engine" in fields
            else None,
            name_at=self.where(fields["name"]) if "name" in fields else None,
        )

    def sound_files(self, node: Node) -> dict[str, Path]:
        """Sounds of the routine's own: WAV files in its folder (or below), or bundled ones."""
        fields = self.mapping(node, "sounds", SOUND_NAMES) or {}
        found: dict[str, Path] = {}
        lengths: dict[str, float] = {}
        for name, value in fields.items():
            target = self.text(value, name)
            if target is None:
                continue
            path = inside(target, self.folder) or inside(target, bundled.sounds_dir())
            if path is None:
                self.problem(
                    value,
                    f"{name}: no sound file {quoted(target)} in this routine's folder "
                    f"or the bundled sounds{outside(target, self.folder)}",
                )
                continue
            try:
                lengths[name] = check_wav(path)
            except ValueError as e:
                self.problem(value, f"{name}: {e}")
                continue
            found[name] = path
        self.sound_lengths = tuple(lengths.items())
        return found

    def tempo_fits_sounds(self, node: Node, p: Prescription, inside: str) -> None:
        """Each tempo phase of a set of reps begins with its sound (an AMRAP plays none): one
        of the routine's own that outlasts its phase would still sound when the next begins
        (the bundled ones fit every tempo: see quantities.MIN_PHASE_S)."""
        tempo, lengths = p.tempo, dict(self.sound_lengths)
        if p.reps is None or tempo is None or tempo.own or inside == "amrap" or not lengths:
            return
        phases = (("lowering", "lower", tempo.lower_s), ("pause", "hold", tempo.bottom_s),
                  ("press", "press", tempo.press_s), ("pause", "hold", tempo.top_s))  # fmt: skip
        for phase, sound, seconds in phases:
            if seconds and lengths.get(sound, 0.0) > seconds:
                self.problem(
                    node,
                    f"tempo {tempo}: its {phase} takes {seconds:g} s, but the sound '{sound}' "
                    f"lasts {lengths[sound]:.2f} s and would still sound as the next begins; "
                    "give a slower tempo or a shorter sound",
                )
                return


def inside(target: str, folder: Path) -> Path | None:
    """`folder / target` if that is a file inside the folder (no escaping with ..)."""
    if "\x00" in target:
        return None
    try:
        root = folder.resolve()
        candidate = (root / target).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    except (OSError, ValueError, RuntimeError):  # too long, a loop of links (3.11), ...
        pass
    return None


def outside(target: str, folder: Path) -> str:
    """For a name `inside` refused: if it is a link in the folder that leads out of it, that
    (to add to the "no file" message, as the name alone does not show it); else ""."""
    written = Path(target)
    if "\x00" in target or written.is_absolute() or ".." in written.parts:
        return ""
    try:
        given = folder / target
        if not given.exists() or given.resolve().is_relative_to(folder.resolve()):
            return ""
    except (OSError, ValueError, RuntimeError):
        return ""
    return f": {quoted(target)} is a link that leads outside this routine's folder"


def include_path(target: str, folder: Path) -> Path | None:
    """A bundled library by short name, or a file inside the routine's own folder."""
    if "/" not in target and "\x00" not in target:
        bundled_file = bundled.library_dir() / f"{target}.yaml"
        if paths.is_file(bundled_file):
            return bundled_file
    return inside(target, folder)


def library_names() -> list[str]:
    """The bundled exercise libraries, by short name."""
    return sorted(p.stem for p in bundled.library_dir().glob("*.yaml"))


MAX_SOUND_S = 5.0


def check_wav(path: Path) -> float:
    """The seconds a sound lasts; ValueError saying why a file cannot be a sound (not WAV, not
    16-bit, too long)."""
    try:
        with wave.open(str(path), "rb") as f:
            width, frames, rate = f.getsampwidth(), f.getnframes(), f.getframerate()
    except (wave.Error, EOFError, OSError) as e:
        why = str(e) or "it is empty or cut short"
        raise ValueError(f"{path.name} is not a WAV file ({why})") from None
    if width != 2:
        raise ValueError(f"{path.name} is {8 * width}-bit; sounds are 16-bit PCM WAV files")
    if not 8000 <= rate <= 192_000 or frames == 0:
        raise ValueError(f"{path.name} holds no usable sound ({frames} samples at {rate} Hz)")
    if frames / rate > MAX_SOUND_S:
        raise ValueError(f"{path.name} lasts {frames / rate:.1f} s; a sound lasts at most 5 s")
    return frames / rate
