"""One's own music as a list of files (music_tracks): the folder walk, its order and bounds,
and paths as messages show them."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from voicecoach.errors import UsageError
from voicecoach.sound.playlist import music_tracks


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


def test_a_folder_thousands_deep_is_a_message_not_a_crash(tmp_path: Path) -> None:
    """1,200 folders in a chain was a RecursionError (a hunt for careless input); 100 are
    walked down."""
    folder = tmp_path
    for _ in range(100):
        folder = folder / "a"
        folder.mkdir()
    (folder / "song.mp3").write_bytes(b"")
    assert music_tracks(tmp_path) == [folder / "song.mp3"]
    for _ in range(1100):
        folder = folder / "a"
        folder.mkdir()
    try:
        with pytest.raises(UsageError) as raised:
            music_tracks(tmp_path)
    finally:  # shutil.rmtree (pytest's clean-up) recurses too
        (tmp_path / "a" / ("a/" * 99) / "song.mp3").unlink()
        while folder != tmp_path:
            folder.rmdir()
            folder = folder.parent
    assert str(raised.value) == (
        f"{tmp_path}: folders more than 100 deep under it: name a folder that holds music"
    )


def test_a_name_that_is_not_utf8_is_found_and_shown_escaped(tmp_path: Path) -> None:
    from voicecoach.sound.playlist import one_line

    name = os.fsdecode(b"caf\xe9 \x1b.wav")
    (tmp_path / name).write_bytes(b"")
    assert music_tracks(tmp_path) == [tmp_path / name]
    assert one_line(name) == "caf\\xe9 \\x1b.wav"
    with pytest.raises(UsageError) as raised:
        music_tracks(tmp_path / os.fsdecode(b"nowhere\xff"))
    assert str(raised.value) == f"{tmp_path}/nowhere\\xff: no such file or folder"
