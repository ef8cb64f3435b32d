#!/usr/bin/env bash
# `make test`: the suite on SQLite (without the browser journeys) and the web tests on a throwaway PostgreSQL
# server, side by side (one per core: together they take about as long as the longer one), then the linters. Fails when either fails;
# the PostgreSQL run's output is shown after the SQLite run's.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
pg_log="$(mktemp -t barnbokslut-pg-XXXXXX.log)"
bash scripts/with-postgres.sh "$BIN/python" -m pytest -q -p no:cacheprovider tests/web >"$pg_log" 2>&1 &
pg_pid=$!
# The browser journeys (tests/web/browser, tests/web/oidc) run on PostgreSQL only: they test pages, not the
# database, and together they took the SQLite run over 20 minutes (1307 s against PostgreSQL's 941 s).
"$BIN/python" -m pytest -q --ignore=tests/web/browser --ignore=tests/web/oidc
sqlite_rc=$?
wait "$pg_pid"
pg_rc=$?
echo "--- PostgreSQL: bash scripts/with-postgres.sh $BIN/python -m pytest -q -p no:cacheprovider tests/web"
cat "$pg_log"
rm -f "$pg_log"
if [ "$sqlite_rc" -ne 0 ] || [ "$pg_rc" -ne 0 ]; then
    echo "Testerna misslyckades (SQLite: $sqlite_rc, PostgreSQL: $pg_rc)." >&2
    exit 1
fi
set -e
"$BIN/ruff" check src tests bench scripts
"$BIN/ruff" format --check src tests bench scripts
"$BIN/mypy"
