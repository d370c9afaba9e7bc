"""The user's config file: the voice, rate, volume, engine, verbosity, music and audio output they
prefer."""

from __future__ import annotations

import os
from pathlib import Path

from yaml.nodes import Node

from voicecoach import paths
from voicecoach.errors import UsageError
from voicecoach.printable import shortened
from voicecoach.routine.keys import CONFIG_KEYS, ENGINES, OUTPUTS
from voicecoach.routine.model import Settings, Verbosity
from voicecoach.routine.nodes import read_nodes
from voicecoach.routine.quantities import DUCK_EXPECTED, duck_db_of
from voicecoach.routine.reader import NodeReader


def user_settings(config: Path | None = None) -> Settings:
    """The settings of the user's config file (`config`, or the one VOICECOACH_CONFIG names,
    or the default one: none there is no settings); a UsageError for a file that is named and
    missing, or that does not read."""
    if config is not None:
        return load_config(config, named="the config file")
    named = "VOICECOACH_CONFIG" if os.environ.get("VOICECOACH_CONFIG") else None
    return load_config(paths.config_path(), named=named)


def load_config(path: Path, named: str | None = None) -> Settings:
    """The user's config file (voice, rate, volume, verbosity). The default file missing is no
    settings; a file `named` (VOICECOACH_CONFIG) missing, or anything that is not a regular
    file (a folder, a device, a FIFO), is a UsageError that says so."""
    if not paths.is_file(path):
        if paths.exists(path):
            what = "a folder" if paths.is_dir(path) else "not a regular file"
            raise UsageError(
                f"{named or 'the config file'} names {shortened(str(path))}, which is {what}"
            )
        if named is not None:
            raise UsageError(f"{named} names {shortened(str(path))}, which does not exist")
        return Settings()
    loader = NodeReader(str(path), path.parent)
    root = read_nodes(path)
    if root is None:
        return Settings()
    fields = loader.mapping(root, "config", CONFIG_KEYS) or {}
    verbosity = (
        loader.choice(fields["verbosity"], "verbosity", tuple(Verbosity))
        if "verbosity" in fields
        else None
    )
    settings = Settings(
        verbosity=Verbosity(verbosity) if verbosity else None,
        voice=loader.text(fields["voice"], "voice") if "voice" in fields else None,
        rate=loader.integer(fields["rate"], "rate", 80, 400) if "rate" in fields else None,
        volume=loader.number(fields["volume"], "volume", 0.0, 1.0) if "volume" in fields else None,
        engine=loader.choice(fields["engine"], "engine", ENGINES) if "engine" in fields else None,
        media_keys=_switch(loader, fields["media_keys"], "media_keys")
        if "media_keys" in fields
        else None,
        duck_db=_duck(loader, fields["duck"]) if "duck" in fields else None,
        music=_music(loader, fields["music"], path.parent) if "music" in fields else None,
        shuffle=_switch(loader, fields["shuffle"], "shuffle") if "shuffle" in fields else None,
        output=loader.choice(fields["output"], "output", OUTPUTS) if "output" in fields else None,
        listen=_switch(loader, fields["listen"], "listen") if "listen" in fields else None,
        ask_done_after_s=loader.positive_duration(fields["ask_done_after"], "ask_done_after")
        if "ask_done_after" in fields
        else None,
    )
    loader.raise_problems()
    return settings


def _switch(loader: NodeReader, node: Node, key: str) -> bool | None:
    """true or false (yes, no, on, off: YAML's booleans)."""
    ok, value = loader.scalar(node)
    if ok and isinstance(value, bool):
        return value
    loader.expected(node, key, "true or false")
    return None


def _duck(loader: NodeReader, node: Node) -> float | None:
    """Decibels from 0 to 60, or off (as --duck)."""

    ok, value = loader.scalar(node)
    db = duck_db_of(value) if ok and value is not None else None
    if db is None:
        loader.expected(node, "duck", DUCK_EXPECTED)
    return db


def _music(loader: NodeReader, node: Node, folder: Path) -> Path | None:
    """A file or folder of music; ~ is the home folder, a relative path is the config's."""
    text = loader.text(node, "music")
    if text is None:
        return None
    try:
        return folder / Path(text).expanduser()
    except RuntimeError:  # ~nobody: no such user
        loader.expected(node, "music", "a path (~ is your home folder)")
        return None
