#!/usr/bin/env bash
# Install everything barnbokslut needs on a fresh Debian machine, then nothing on later runs:
# Debian packages listed in scripts/apt-packages.txt (only the missing ones), a virtual environment in .venv
# with the pinned Python packages from requirements.lock, barnbokslut itself in editable mode, and the test
# OpenID Connect provider's npm packages (tests/oidc, from its package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ $# -gt 0 ] || return 0
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

missing=()
while read -r pkg; do
  pkg="${pkg%%#*}"; pkg="${pkg// /}"
  [ -n "$pkg" ] || continue
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done < scripts/apt-packages.txt
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installerar Debian-paket: ${missing[*]}"
  apt_install "${missing[@]}"
fi

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if ! "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  echo "barnbokslut behöver Python 3.11 eller senare ($PYTHON är äldre)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  # Debian's python3 needs python3-venv (ensurepip) before it can make a virtual environment.
  "$PYTHON" -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
  "$PYTHON" -m venv .venv
fi

stamp=".venv/.installed-$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps -e .
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# The sign-in tests start a real OpenID Connect provider on loopback (tests/oidc/provider.mjs, Node.js): its
# pinned npm packages, installed again only when package-lock.json changes.
oidc_stamp="tests/oidc/node_modules/.installed-$(sha256sum < tests/oidc/package-lock.json | cut -c1-16)"
if [ ! -f "$oidc_stamp" ]; then
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  (cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error)
  touch "$oidc_stamp"
fi
