#!/usr/bin/env bash
# Makes the Temporal UI server available and prints its path: $TEMPORAL_UI_SERVER, else a project-local build
# from the Go module proxy. `npm start` runs it instead of the dev server's embedded UI, because only its
# configuration can tell the UI to send the browser's codec session cookie (codec.includeCredentials).
# The version is the UI the Temporal CLI (scripts/ensure-temporal.sh) bundles.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="2.42.1"
local_bin="$root/.tools/bin/temporal-ui-server-$version"

if [ -n "${TEMPORAL_UI_SERVER:-}" ] && [ -x "$TEMPORAL_UI_SERVER" ]; then echo "$TEMPORAL_UI_SERVER"; exit 0; fi
if [ -x "$local_bin" ]; then echo "$local_bin"; exit 0; fi

command -v go >/dev/null 2>&1 || { echo "ensure-temporal-ui: Go is needed to build the Temporal UI server" >&2; exit 1; }
echo "ensure-temporal-ui: building Temporal UI server v$version from the Go module proxy..." >&2
start=$(date +%s)
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
CGO_ENABLED=0 GOBIN="$build_dir" go install "github.com/temporalio/ui-server/v2/cmd/server@v$version" >&2
mkdir -p "$(dirname "$local_bin")"
mv "$build_dir/server" "$local_bin"
echo "ensure-temporal-ui: built in $(( $(date +%s) - start ))s" >&2
echo "$local_bin"
