#!/usr/bin/env bash
# Makes a Temporal CLI (bundling the dev server) available and prints its path.
# Order: $TEMPORAL_CLI, then `temporal` on PATH, then a project-local build from the Go module proxy.
# No npm package ships the binary and the SDK's own download cannot work offline, so we build it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="1.5.1"
local_bin="$root/.tools/bin/temporal"

if [ -n "${TEMPORAL_CLI:-}" ] && [ -x "$TEMPORAL_CLI" ]; then echo "$TEMPORAL_CLI"; exit 0; fi
if [ -x "$local_bin" ]; then echo "$local_bin"; exit 0; fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi

command -v go >/dev/null 2>&1 || { echo "ensure-temporal: Go is needed to build the Temporal CLI" >&2; exit 1; }
echo "ensure-temporal: building Temporal CLI v$version from the Go module proxy (minutes on 2 cores)..." >&2
start=$(date +%s)
# CLI tags from 1.6 on carry a replace directive that `go install pkg@version` refuses; 1.5.1 bundles server 1.29.1.
CGO_ENABLED=0 GOBIN="$root/.tools/bin" go install \
  -ldflags "-X github.com/temporalio/cli/temporalcli.Version=$version" \
  "github.com/temporalio/cli/cmd/temporal@v$version" >&2
echo "ensure-temporal: built in $(( $(date +%s) - start ))s" >&2
echo "$local_bin"
