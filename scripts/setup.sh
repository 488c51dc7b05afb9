#!/usr/bin/env bash
# Installs everything idra needs, into the checkout: Node packages (Node.js 24 itself among them), moto in
# .venv, the Temporal CLI, server and UI server and Keycloak in .tools; PostgreSQL from Debian's packages.
# Any Node >= 20 with npm bootstraps it; npm scripts and npx then put node_modules/.bin first on PATH, so
# everything the project runs runs on the Node it brings.
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
# The runtime comes from the npm package `node` (a devDependency); nothing runs on an unsupported Node.
node_version="$(node_modules/.bin/node --version 2>/dev/null || true)"
case "$node_version" in
  v24.*) ;;
  *) echo "setup: node_modules/.bin/node should be Node.js 24 but is '${node_version:-missing}': remove node_modules and run again" >&2; exit 1 ;;
esac

# moto, the AWS emulator, pinned, in a project-local virtualenv.
if ! .venv/bin/python -c "import moto, sys; sys.exit(moto.__version__ != '$moto_version')" 2>/dev/null; then
  echo "setup: installing moto[server]==$moto_version into .venv..." >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "moto[server]==$moto_version" >&2
fi

# The Temporal CLI (dev server) and the Temporal UI server; built from the Go module proxy unless available.
bash scripts/ensure-temporal.sh >/dev/null
bash scripts/ensure-temporal-ui.sh >/dev/null
# The fleet mode (npm start -- --fleet, its tests): the Temporal server's own binary and PostgreSQL.
bash scripts/ensure-temporal-server.sh >/dev/null
bash scripts/ensure-postgres.sh
# Keycloak, the real OAuth authorization server AI agents get their tokens from (Maven Central; Java 21+).
bash scripts/ensure-keycloak.sh >/dev/null

# Compiled JavaScript and the prebuilt workflow bundle (dist/): made again only when the sources changed.
# The CLI and the worker launcher run dist/ only while it matches the sources (bin/build-state.js).
# A build that fails (e.g. a type error mid-edit) leaves dist/ stale, so everything runs from the sources.
if ! node_modules/.bin/node bin/build-state.js; then
  echo "setup: compiling to dist/ (sources changed since the last build)..." >&2
  npm run --silent build >&2 || echo "setup: the build failed (see above): running the TypeScript sources through tsx" >&2
fi
