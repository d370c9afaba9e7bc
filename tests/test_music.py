"""One's own music: the playlist (music_tracks) and reading it at any music time (Music)."""

from __future__ import annotations

import os
import random
import shutil
import tracemalloc
import wave
from pathlib import Path

import miniaudio
import numpy as np
import pytest

from voicecoach.errors import UsageError
from voicecoach.sound.audio import SAMPLE_RATE, Samples
from voicecoach.sound.music import Music, music_tracks

HERE = Path(__file__).parent / "music"
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


def test_music_tracks_in_natural_order_through_subfolders(tmp_path: Path) -> None:
    names = ["10 x.mp3", "2 x.MP3", "1 a.ogg", "sub/3.flac", "Sub 2/1.wav", "sub/1 b.oga"]
    for name in [*names, "notes.txt", "cover.jpg", ".hidden.mp3", "sub/._3.flac"]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    order = ["1 a.ogg", "2 x.MP3", "10 x.mp3", "sub/1 b.oga", "sub/3.flac", "Sub 2/1.wav"]
    assert music_tracks(tmp_path) == [tmp_path / name for name in order]
    shuffled = music_tracks(tmp_path, shuffle=True, rng=random.Random(3))
    assert sorted(shuffled) == sorted(tmp_path / name for name in names)
    assert shuffled == music_tracks(tmp_path, shuffle=True, rng=random.Random(3))
    assert music_tracks(tmp_path / "2 x.MP3") == [tmp_path / "2 x.MP3"]


def test_music_tracks_follows_linked_folders_once(tmp_path: Path) -> None:
    (tmp_path / "top" / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    for name in ["top/1.mp3", "top/sub/2.mp3", "elsewhere/3.mp3"]:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "top" / "sub" / "loop").symlink_to(tmp_path / "top")
    (tmp_path / "top" / "x linked").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "top" / "dangling.mp3").symlink_to(tmp_path / "none.mp3")
    top = tmp_path / "top"
    assert music_tracks(top) == [top / "1.mp3", top / "sub/2.mp3", top / "x linked/3.mp3"]


def test_music_tracks_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def message(path: Path) -> str:
        with pytest.raises(UsageError) as raised:
            music_tracks(path)
        return str(raised.value)

    assert message(tmp_path / "none") == f"{tmp_path}/none: no such file or folder"
    (tmp_path / "x.m4a").write_bytes(b"")
    assert message(tmp_path / "x.m4a") == (
        f"{tmp_path}/x.m4a: not a music file voicecoach plays (mp3, ogg, flac, wav)"
    )
    (tmp_path / "empty").mkdir()
    none = "no music files (mp3, ogg, flac, wav) in it or its subfolders"
    assert message(tmp_path / "empty") == f"{tmp_path}/empty: {none}"
    (tmp_path / "other" / "deeper").mkdir(parents=True)
    (tmp_path / "other" / "deeper" / "song.m4a").write_bytes(b"")
    (tmp_path / "other" / "notes.txt").write_bytes(b"")
    assert message(tmp_path / "other") == f"{tmp_path}/other: {none}"
    os.mkfifo(tmp_path / "pipe.mp3")
    assert message(tmp_path / "pipe.mp3") == f"{tmp_path}/pipe.mp3: not a file or a folder"
    (tmp_path / "evil\x1b]0;x\a").mkdir()
    assert "\x1b" not in message(tmp_path / "evil\x1b]0;x\a")

    def denied(path: object) -> object:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", denied)  # root reads every folder: pretend
    assert message(tmp_path) == f"{tmp_path}: cannot be read: Permission denied"


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
