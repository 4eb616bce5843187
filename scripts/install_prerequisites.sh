#!/usr/bin/env bash
# What `make test` needs from the machine beyond Python: the PostgreSQL 15 server binaries, the
# test-only extensions pgTAP and plpgsql_check, and pg_cron (the throwaway server preloads it to run
# ops.jobs; it starts without it too). Installs the missing Debian packages with apt-get
# when run as root; otherwise prints the one command to run and exits 1 before anything else runs.
# TB_PREREQ_ROOT (tests only) prefixes every checked path, so a test can stage a bare machine.
set -euo pipefail

root=${TB_PREREQ_ROOT:-}
need=()
[ -x "$root/usr/lib/postgresql/15/bin/initdb" ] || need+=(postgresql-15 postgresql-client-15)
[ -f "$root/usr/share/postgresql/15/extension/pgtap.control" ] || need+=(postgresql-15-pgtap)
[ -f "$root/usr/share/postgresql/15/extension/plpgsql_check.control" ] || need+=(postgresql-15-plpgsql-check)
[ -f "$root/usr/share/postgresql/15/extension/pg_cron.control" ] || need+=(postgresql-15-cron)

if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages; run: sudo apt-get install -y ${need[*]}" >&2
    exit 1
fi
echo "installing ${need[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
