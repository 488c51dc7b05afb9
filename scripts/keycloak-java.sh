#!/usr/bin/env bash
# Prints a JAVA_HOME that runs Keycloak (Java 21 or newer): $KEYCLOAK_JAVA_HOME, else the newest JDK in the
# system JVM folder, else the default `java` if it is new enough. Never assumes the default is.
set -euo pipefail
major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }
if [ -n "${KEYCLOAK_JAVA_HOME:-}" ]; then echo "$KEYCLOAK_JAVA_HOME"; exit 0; fi
best=""; best_major=0
for candidate in /usr/lib/jvm/*; do
  [ -x "$candidate/bin/java" ] || continue
  found="$(major "$candidate" || echo 0)"
  if [ "${found:-0}" -gt "$best_major" ]; then best="$candidate"; best_major="$found"; fi
done
if [ "$best_major" -ge 21 ]; then echo "$best"; exit 0; fi
if command -v java >/dev/null 2>&1; then
  default_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  if [ "$(major "$default_home")" -ge 21 ]; then echo "$default_home"; exit 0; fi
fi
echo "keycloak-java: Keycloak needs Java 21 or newer; none found (set KEYCLOAK_JAVA_HOME)" >&2
exit 1
