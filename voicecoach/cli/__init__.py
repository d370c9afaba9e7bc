"""The `voicecoach` command: parse options, call the library, print; errors become exit codes.

Commands are grouped by family (routines, coaching, records), each registering itself on the
group; importing this package registers them all.
"""

from voicecoach.cli import coaching, records, routines
from voicecoach.cli.group import cli
from voicecoach.workout.outside import Effects

__all__ = ["Effects", "cli", "coaching", "records", "routines"]
