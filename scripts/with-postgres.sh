#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: DATABASE_URL is set for the command, and the server
# (a fresh cluster in a temporary folder, Debian's PostgreSQL) is stopped and removed afterwards.
# Exits with the command's exit code. Example: scripts/with-postgres.sh .venv/bin/python -m pytest tests/web
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || command -v python3 )}"
exec "$PYTHON" scripts/pgcluster.py -- "$@"
