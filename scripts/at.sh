#!/usr/bin/env bash
# Run a command with the wall clock starting at another moment and running on (UTC), e.g. the suite across a
# year's end:   scripts/at.sh '2026-12-31 23:45:00' .venv/bin/pytest -q      (make test-at AT='…')
# The command and every process it starts (the throwaway server too: runuser and pg_ctl keep LD_PRELOAD) read
# the shifted clock of scripts/fakeclock.c, built here into a temporary directory (needs a C compiler).
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 'YYYY-MM-DD HH:MM:SS' command [args…]" >&2
    exit 2
fi
target=$(date -u -d "$1 UTC" +%s)
shift
shim=$(mktemp -d)
trap 'rm -rf "$shim"' EXIT
chmod 755 "$shim" # the server's OS user loads the library too
cc -shared -fPIC -O2 -o "$shim/fakeclock.so" "$(dirname "$0")/fakeclock.c" -ldl
chmod 755 "$shim/fakeclock.so"
FAKECLOCK_OFFSET=$((target - $(date -u +%s))) LD_PRELOAD="$shim/fakeclock.so${LD_PRELOAD:+:$LD_PRELOAD}" "$@"
