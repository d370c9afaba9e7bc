"""One's own music read at any music time (Music)."""

from __future__ import annotations

import os
import random
import shutil
import struct
import subprocess
import sys
import tracemalloc
import wave
from pathlib import Path
from typing import Any

import miniaudio
import numpy as np
import pytest

from tests.helpers import ROOT
from voicecoach.sound.audio import SAMPLE_RATE, Samples
from voicecoach.sound.music_stream import Music

HERE = ROOT / "tests" / "music"
TONE_WAV = HERE / "tone.wav"  # 0.5 s, 880 Hz, 22050 Hz mono
TONE_MP3 = HERE / "tone.mp3"  # 1.0 s, 440 Hz, 44100 Hz stereo (and the ogg and the flac)
TONE_OGG = HERE / "tone.ogg"
TONE_FLAC = HERE / "tone.flac"
SWEEP_MP3 = HERE / "sweep.mp3"  # 2.5 s, 48000 Hz stereo: a rate 22050 does not divide
BAD = HERE / "corrupt" / "bad.mp3"


def decoded(path: Path) -> Samples:
    """The whole track as miniaudio decodes it in one go: what Music must reproduce."""
    stream = miniaudio.stream_file(
        str(path),
        output_format=miniaudio.SampleFormat.FLOAT32,
        nchannels=1,
        sample_rate=SAMPLE_RATE,
    )
    return np.concatenate([np.frombuffer(chunk, dtype=np.float32) for chunk in stream])


def looped(tracks: list[Path], count: int) -> Samples:
    """`count` samples of the playlist played round and round."""
    cycle = np.concatenate([decoded(path) for path in tracks])
    return np.resize(cycle, count)


def write_wav(path: Path, rate: int, channels: list[Samples]) -> Path:
    with wave.open(str(path), "wb") as f:
        f.setnchannels(len(channels))
        f.setsampwidth(2)
        f.setframerate(rate)
        frames = np.round(np.stack(channels, axis=1) * 32767).astype("<i2")
        f.writeframes(frames.tobytes())
    return path


def open_files() -> int | None:
    """How many files this process has open (Linux), to see that no decoder is leaked."""
    fds = Path("/proc/self/fd")
    return len(list(fds.iterdir())) if fds.is_dir() else None


def sine(freq: float, seconds: float, rate: int, level: float = 0.5) -> Samples:
    t = np.arange(round(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * freq * t)).astype(np.float32)


@pytest.mark.parametrize(
    ("path", "seconds", "freq"),
    [(TONE_MP3, 1.0, 440), (TONE_OGG, 1.0, 440), (TONE_FLAC, 1.0, 440), (TONE_WAV, 0.5, 880)],
)
def test_each_format_decodes_to_its_length_and_pitch(path: Path, seconds: float, freq: int) -> None:
    with Music([path]) as music:
        samples = music.read(0.0, 3 * SAMPLE_RATE)  # loops: the end is known after this
        length_s = music.track_length_s(0)
    assert samples.dtype == np.float32
    assert samples.shape == (3 * SAMPLE_RATE,)
    assert length_s == pytest.approx(seconds, abs=0.06)  # mp3 would be within its padding
    one = samples[: round(seconds * SAMPLE_RATE)]
    spectrum = np.abs(np.fft.rfft(one))
    peak_hz = np.fft.rfftfreq(len(one), 1 / SAMPLE_RATE)[np.argmax(spectrum)]
    assert peak_hz == pytest.approx(freq, abs=2)
    assert 0.45 < np.abs(one).max() < 0.55  # the level as decoded: 0.5 in the file


def test_lame_gapless_header_is_honoured() -> None:
    """A 1.0 s tone encoded by LAME decodes to exactly 1.0 s: no priming, no padding."""
    assert len(decoded(TONE_MP3)) == SAMPLE_RATE


def test_to_mono_averages_the_channels(tmp_path: Path) -> None:
    """miniaudio's mono is (left + right) / 2: one channel alone comes out at half level, and
    opposite channels cancel."""
    left = sine(440, 1.0, 44100)
    one_side = write_wav(tmp_path / "left.wav", 44100, [left, 0 * left])
    opposite = write_wav(tmp_path / "opposite.wav", 44100, [left, -left])
    with Music([one_side]) as music:
        assert np.abs(music.read(0.0, SAMPLE_RATE)).max() == pytest.approx(0.25, abs=0.01)
    with Music([opposite]) as music:
        assert np.abs(music.read(0.0, SAMPLE_RATE)).max() < 1e-4


def test_small_sequential_reads_equal_one_big_read_across_tracks_and_the_loop() -> None:
    tracks = [TONE_WAV, TONE_OGG, TONE_FLAC, TONE_MP3]  # 3.5 s round
    count = 8 * SAMPLE_RATE
    with Music(tracks) as music:
        whole = music.read(0.0, count)
    with Music(tracks) as music:
        pieces: list[Samples] = []
        at, sizes = 0, [1, 37, 1000, 4410, 16384, 16385, 50000, 3]
        while at < count:
            size = min(sizes[len(pieces) % len(sizes)], count - at)
            pieces.append(music.read(at / SAMPLE_RATE, size))
            at += size
    assert np.array_equal(np.concatenate(pieces), whole)
    assert np.array_equal(whole, looped(tracks, count))


def test_oga_is_ogg(tmp_path: Path) -> None:
    """.oga, which get_file_info does not know, decodes by content."""
    oga = Path(shutil.copy(TONE_OGG, tmp_path / "tone.oga"))
    with Music([oga]) as music:
        assert np.array_equal(music.read(0.0, SAMPLE_RATE), decoded(TONE_OGG))


def test_reading_again_at_earlier_times_gives_the_same_samples() -> None:
    """The caller discards music it mixed ahead and reads again from the time heard: seeks
    back within a track, into the previous one, over the loop, and forward again are
    sample-exact, for every format, also for a 48 kHz mp3 (see test_a_plain_seek_...)."""
    tracks = [TONE_OGG, SWEEP_MP3, TONE_WAV, TONE_FLAC, TONE_MP3]
    count = 14 * SAMPLE_RATE
    expected = looped(tracks, count)
    rng = random.Random(7)
    with Music(tracks) as music:
        first = music.read(0.0, count)
        assert np.array_equal(first, expected)
        at_s = [3.0, 0.9, 0.95, 3.5, 1.2, 13.5, 0.0, 12.9]  # into the previous track, the loop
        picked = [round(s * SAMPLE_RATE) for s in at_s]
        for start in picked + [rng.randrange(count - SAMPLE_RATE) for _ in range(60)]:
            size = rng.choice([1, 100, 2000, SAMPLE_RATE])
            again = music.read(start / SAMPLE_RATE, size)
            assert np.array_equal(again, expected[start : start + size]), start


def test_seeking_forward_past_tracks_not_yet_played() -> None:
    """A fresh playlist read first far ahead: earlier tracks are decoded through to learn
    their lengths, then the samples are those of sequential play."""
    tracks = [TONE_MP3, SWEEP_MP3, TONE_OGG, TONE_WAV]  # 5.04 s round
    expected = looped(tracks, 30 * SAMPLE_RATE)
    files = open_files()
    for start in [SAMPLE_RATE + 5, round(3.7 * SAMPLE_RATE), 25 * SAMPLE_RATE + 3]:
        with Music(tracks) as music:
            got = music.read(start / SAMPLE_RATE, 2 * SAMPLE_RATE)
        assert np.array_equal(got, expected[start : start + 2 * SAMPLE_RATE]), start
    assert open_files() == files  # no seek past an end (pyminiaudio leaks the file then)


def test_a_plain_seek_is_off_when_the_rates_do_not_divide() -> None:
    """Why Music seeks to whole seconds: miniaudio's seek_frame on a 48 kHz file lands a
    fraction of a sample off (and the first samples rise out of silence) at 22050 Hz."""
    whole = decoded(SWEEP_MP3)
    at = 30001
    stream = miniaudio.stream_file(
        str(SWEEP_MP3),
        output_format=miniaudio.SampleFormat.FLOAT32,
        nchannels=1,
        sample_rate=SAMPLE_RATE,
        seek_frame=at,
    )
    sought = np.concatenate([np.frombuffer(chunk, dtype=np.float32) for chunk in stream])
    tail = whole[at:]
    assert abs(len(sought) - len(tail)) <= 1  # one more at some positions
    assert sought[0] == 0  # rises out of silence
    assert abs(tail[0]) > 0.1
    assert np.abs(sought[100:2000] - tail[100:2000]).max() > 0.003  # off for good
    assert np.corrcoef(sought[100:2000], tail[100:2000])[0, 1] > 0.99  # yet nearly the same


def test_before_zero_is_silence_and_nothing_asked_is_nothing() -> None:
    with Music([TONE_WAV]) as music:
        got = music.read(-0.01, 500)
        assert music.read(0.0, 0).shape == (0,)
    assert not got[:220].any()
    assert np.array_equal(got[220:], decoded(TONE_WAV)[:280])


def test_a_corrupt_track_is_skipped_once_and_the_others_play(tmp_path: Path) -> None:
    empty = write_wav(tmp_path / "empty.wav", 44100, [np.zeros(0, dtype=np.float32)])
    tracks = [TONE_WAV, BAD, TONE_FLAC, tmp_path / "gone.mp3", empty]
    skipped: list[tuple[Path, str]] = []
    count = 5 * SAMPLE_RATE
    with Music(tracks, on_skip=lambda path, why: skipped.append((path, why))) as music:
        got = music.read(0.0, count)
        assert np.array_equal(music.read(1.0, SAMPLE_RATE), got[SAMPLE_RATE : 2 * SAMPLE_RATE])
    assert np.array_equal(got, looped([TONE_WAV, TONE_FLAC], count))
    assert skipped == [
        (BAD, "cannot be decoded: corrupt, or not mp3, ogg, flac, wav"),
        (tmp_path / "gone.mp3", "is gone"),
        (empty, "holds no sound"),
    ]


def test_nothing_playable_is_silence_without_hanging(tmp_path: Path) -> None:
    shutil.copy(BAD, tmp_path / "bad.ogg")
    skipped: list[Path] = []
    with Music([BAD, tmp_path / "bad.ogg"], on_skip=lambda path, why: skipped.append(path)) as m:
        assert not m.read(0.0, 10 * SAMPLE_RATE).any()
        assert not m.read(3600.0, SAMPLE_RATE).any()
    assert skipped == [BAD, tmp_path / "bad.ogg"]
    with Music([]) as nothing:
        assert nothing.read(5.0, 100).shape == (100,)


def test_a_track_gone_after_it_played_leaves_silence_in_its_place(tmp_path: Path) -> None:
    """Its length is known, so the music after it keeps its times."""
    mine = Path(shutil.copy(TONE_WAV, tmp_path / "mine.wav"))
    skipped: list[str] = []
    with Music([TONE_FLAC, mine], on_skip=lambda path, why: skipped.append(why)) as music:
        first = music.read(0.0, 4 * SAMPLE_RATE)
        mine.unlink()
        again = music.read(0.5, 3 * SAMPLE_RATE)
    half = SAMPLE_RATE // 2
    expected = first[half : half + 3 * SAMPLE_RATE].copy()
    expected[half : 2 * half] = 0  # where mine.wav played: 1.0-1.5 s, and 2.5-3.0 s
    expected[4 * half : 5 * half] = 0
    assert np.array_equal(again, expected)
    assert skipped == ["is gone"]


def test_memory_stays_flat_over_ten_minutes() -> None:
    """Python-allocated memory only (numpy arrays, pyminiaudio's chunks; tracemalloc sees no
    allocation inside the C decoder): one second asked at a time, the peak stays near the
    chunk and the second returned, however long the music plays."""
    files = open_files()
    with Music([TONE_FLAC]) as music:
        music.read(0.0, SAMPLE_RATE)
        tracemalloc.start()
        try:
            for second in range(1, 600):
                music.read(float(second), SAMPLE_RATE)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 1_000_000  # measured: about 0.2 MB
    assert open_files() == files  # 600 decoders opened and closed


def float_wav(path: Path, rate: int, samples: Samples) -> Path:
    """A 32-bit float WAV (format 3): it may hold any float, NaN and infinities too."""
    data = np.asarray(samples, dtype="<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    chunks = b"WAVEfmt " + struct.pack("<I", len(fmt)) + fmt
    chunks += b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(chunks)) + chunks)
    return path


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("rate", [SAMPLE_RATE, 44100])  # 44100: the resampler spreads it
def test_samples_that_are_not_numbers_end_the_track_with_a_message(
    tmp_path: Path, bad: float, rate: int
) -> None:
    """A NaN in the music made the whole render silent, the coach too (a hunt for hostile
    input): the track ends where it is, told, and the next plays."""
    samples = sine(440, 3.0, rate)
    samples[2 * rate + 100 : 2 * rate + 110] = bad
    damaged = float_wav(tmp_path / "damaged.wav", rate, samples)
    skipped: list[str] = []
    with Music([damaged, TONE_WAV], on_skip=lambda path, why: skipped.append(why)) as music:
        got = music.read(0.0, 10 * SAMPLE_RATE)
        length = music.track_length_s(0)
    assert np.isfinite(got).all()
    assert length is not None
    assert 1.0 < length <= 2.0  # cut at the chunk that holds it
    assert len(skipped) == 1
    assert skipped[0].startswith("holds samples that are not numbers (NaN or infinite) after ")
    tone = decoded(TONE_WAV)
    start = round(length * SAMPLE_RATE)
    assert np.array_equal(got[start : start + len(tone)], tone)


@pytest.mark.parametrize("rate", [SAMPLE_RATE, 44100])
def test_levels_beyond_full_scale_are_clipped(tmp_path: Path, rate: int) -> None:
    """1e30 in a float WAV was full-scale noise in the headphones."""
    samples = sine(440, 2.0, rate)
    samples[rate : rate + 5] = 1e30
    samples[rate + 500] = -3.0
    loud = float_wav(tmp_path / "loud.wav", rate, samples)
    with Music([loud]) as music:
        got = music.read(0.0, 2 * SAMPLE_RATE)
    assert np.abs(got).max() == 1.0
    assert np.count_nonzero(np.abs(got) == 1.0) < SAMPLE_RATE // 100  # a click, not noise


def test_a_playlist_shorter_than_a_chunk_is_not_opened_for_every_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-sample file took 95 s to render a 1:46 workout (a hunt for careless input): it
    was opened again for every sample of music. Now each file is opened a few times (to learn
    its length, to keep the playlist whole), and the music read from memory."""
    one = float_wav(tmp_path / "one.wav", SAMPLE_RATE, np.array([0.25], dtype=np.float32))
    expected = looped([one, TONE_WAV], 30 * SAMPLE_RATE)
    opened = 0
    stream_file = miniaudio.stream_file

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal opened
        opened += 1
        return stream_file(*args, **kwargs)

    monkeypatch.setattr(miniaudio, "stream_file", counted)
    with Music([one, TONE_WAV]) as music:
        got = [music.read(0.0, 3 * SAMPLE_RATE)]
        got += [music.read(float(second), SAMPLE_RATE) for second in range(3, 30)]
        again = music.read(0.25, SAMPLE_RATE)
    assert np.array_equal(np.concatenate(got), expected)
    assert np.array_equal(again, expected[SAMPLE_RATE // 4 : SAMPLE_RATE // 4 + SAMPLE_RATE])
    first = opened
    assert first <= 6
    with Music([one]) as alone:
        assert np.array_equal(alone.read(0.5, 10 * SAMPLE_RATE), np.full(10 * SAMPLE_RATE, 0.25))
    assert opened - first <= 3


def test_a_name_that_is_not_utf8_plays(tmp_path: Path) -> None:
    """It was skipped: "'utf-8' codec can't encode character '\\udce9'"."""
    mine = Path(shutil.copy(TONE_WAV, tmp_path / os.fsdecode(b"caf\xe9.wav")))
    skipped: list[str] = []
    with Music([mine], on_skip=lambda path, why: skipped.append(why)) as music:
        got = music.read(0.0, SAMPLE_RATE)
    assert skipped == []
    assert np.array_equal(got, looped([TONE_WAV], SAMPLE_RATE))


def test_a_file_without_permission_to_read_is_called_so(tmp_path: Path) -> None:
    """Not "corrupt" (what miniaudio's failed decode said)."""
    mine = Path(shutil.copy(TONE_WAV, tmp_path / "mine.wav"))
    mine.chmod(0)
    told = _unprivileged(
        "from pathlib import Path\n"
        "from voicecoach.sound.music_stream import Music\n"
        f"with Music([Path({str(mine)!r})], on_skip=lambda p, why: print(why)) as m:\n"
        "    assert not m.read(0.0, 1000).any()\n"
    )
    assert told == "cannot be read: Permission denied\n"


def _unprivileged(code: str) -> str:
    """What Python code prints, run where the permissions of files count (for root too)."""

    # root without the capabilities to read and search whatever the permissions say
    unprivileged = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    done = subprocess.run(
        [*(unprivileged if os.geteuid() == 0 else []), sys.executable, "-c", code],
        capture_output=True, text=True, timeout=60,
        env=os.environ | {"PYTHONPATH": str(HERE.parent.parent)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout
