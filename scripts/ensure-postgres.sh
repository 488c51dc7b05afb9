#!/usr/bin/env bash
# Makes PostgreSQL's server binaries available for the fleet mode (the fleet runs its own cluster under
# .data/ or a test's folder, never the system's), from Debian's packages: apt-get when they are missing.
set -euo pipefail

if ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-postgres: PostgreSQL is not installed; install Debian's 'postgresql' package (as root: apt-get install postgresql)" >&2
  exit 1
fi
echo "ensure-postgres: installing PostgreSQL from Debian's packages..." >&2
# The fleet makes its own cluster: the package need not make and start a system-wide one.
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
  mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2 \
  || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2; }
