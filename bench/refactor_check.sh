#!/bin/bash
# What a refactor must not change, as two checksums (prints; asserts nothing): the md5 of
# `plan --json` of every bundled routine (every cue, with its time), then of `render quick-demo`.
# Run it on the tree before a move and on the tree after it; the two lines must be the same.
#   bash bench/refactor_check.sh [TREE]      (TREE: a checkout, the current one by default)
# Both runs use this checkout's Python and one speech cache (a speech engine need not render a
# phrase to the same samples twice, nor two venvs alike: the code is what is compared).
set -euo pipefail
PYTHON=${PYTHON:-$(pwd)/.venv/bin/python}
TREE=$(cd "${1:-.}" && pwd)
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
export VOICECOACH_CACHE=${VOICECOACH_CACHE:-${TMPDIR:-/tmp}/voicecoach-refactor-check-cache}
export VOICECOACH_DB=$SCRATCH/history.db XDG_STATE_HOME=$SCRATCH/state
cd "$TREE"
for f in routines/*.yaml routines/examples/*.yaml; do
  PYTHONPATH=$TREE "$PYTHON" -m voicecoach plan --json --fresh "$f" 2>/dev/null
done | md5sum | sed 's/-$/plan --json, every bundled routine/'
PYTHONPATH=$TREE "$PYTHON" -m voicecoach render quick-demo -o "$SCRATCH/quick-demo.wav" --fresh >/dev/null 2>&1
md5sum < "$SCRATCH/quick-demo.wav" | sed 's/-$/render quick-demo/'
