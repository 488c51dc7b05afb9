#!/usr/bin/env bash
# Makes the Temporal server (one binary, any of its four services) and its SQL schema tool available for the
# fleet mode, and prints the server's path. Built from the Go module proxy into .tools/bin once, reused after.
# 1.29.1 is the server the CLI 1.5.1 bundles (the dev server everything else runs on); later tags need a
# newer Go than the machines have. `disable_grpc_modules` leaves out gRPC's optional xDS/cloud modules.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="1.29.1"
bin="$root/.tools/bin"

if [ -x "$bin/temporal-server" ] && [ -x "$bin/temporal-sql-tool" ] \
  && [ "$(cat "$bin/temporal-server.version" 2>/dev/null)" = "$version" ]; then
  echo "$bin/temporal-server"; exit 0
fi
command -v go >/dev/null 2>&1 || { echo "ensure-temporal-server: Go is needed to build the Temporal server" >&2; exit 1; }
echo "ensure-temporal-server: building Temporal server v$version and its SQL tool from the Go module proxy (minutes on 2 cores)..." >&2
start=$(date +%s)
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
CGO_ENABLED=0 GOBIN="$build" go install -tags disable_grpc_modules \
  "go.temporal.io/server/cmd/server@v$version" "go.temporal.io/server/cmd/tools/sql@v$version" >&2
mkdir -p "$bin"
mv "$build/server" "$bin/temporal-server"
mv "$build/sql" "$bin/temporal-sql-tool"
echo "$version" > "$bin/temporal-server.version"
echo "ensure-temporal-server: built in $(( $(date +%s) - start ))s" >&2
echo "$bin/temporal-server"
