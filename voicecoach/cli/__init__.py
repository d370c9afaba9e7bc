"""The `voicecoach` command: parse options, call the library, print; errors become exit codes.

Commands are grouped by family (routines, coaching, records), each registering itself on the
group; importing this package registers them all. So every module here is imported for
`voicecoach --help`: what a command alone needs (the library, rich, YAML, numpy) is imported
inside it, each such import marked `(lazy)` (tests/cli/test_startup.py holds `--help` to load
none of numpy, YAML, rich or onnxruntime).
"""

from voicecoach.cli import coaching, records, routines
from voicecoach.cli.group import cli
from voicecoach.workout.outside import Effects

__all__ = ["Effects", "cli", "coaching", "records", "routines"]
