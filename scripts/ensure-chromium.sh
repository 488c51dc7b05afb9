#!/usr/bin/env bash
# Chromium for the test that checks the Temporal UI decodes payloads in a real browser (Debian's package;
# a test tool's own browser download cannot work offline). Skipped when a Chromium is already there.
set -euo pipefail
chromium="${IDRA_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then exit 0; fi
command -v apt-get >/dev/null 2>&1 || { echo "ensure-chromium: install Chromium, or set IDRA_CHROMIUM to one" >&2; exit 1; }
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "ensure-chromium: installing Debian's chromium..." >&2
if ! $sudo apt-get install -y --no-install-recommends chromium >&2; then
  $sudo apt-get update >&2
  $sudo apt-get install -y --no-install-recommends chromium >&2
fi
