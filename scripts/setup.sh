#!/usr/bin/env bash
# Installs everything idra needs, into the checkout: Node packages, moto in .venv, the Temporal CLI in .tools.
# Idempotent: each part is skipped when it is already in place, so a second run takes seconds.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
moto_version="5.2.5"

# Node packages, exactly as locked. Re-installed only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.idra-installed-lock; then
  echo "setup: installing Node packages (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json node_modules/.idra-installed-lock
fi

# moto, the AWS emulator, pinned, in a project-local virtualenv.
if ! .venv/bin/python -c "import moto, sys; sys.exit(moto.__version__ != '$moto_version')" 2>/dev/null; then
  echo "setup: installing moto[server]==$moto_version into .venv..." >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "moto[server]==$moto_version" >&2
fi

# The Temporal CLI (dev server + UI); built from the Go module proxy unless one is already available.
bash scripts/ensure-temporal.sh >/dev/null
