#!/usr/bin/env bash
# Makes Keycloak (the OAuth authorization server AI agents get their tokens from) available, built once, and
# prints its home. Order: $KEYCLOAK_HOME, then a project-local copy in .tools/, fetched from Maven Central
# (org.keycloak:keycloak-quarkus-dist, the official distribution) and built (`kc.sh build`) once.
# Keycloak 26 needs Java 21+: the machine's newest JDK is used for it (the default `java` may be older).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="26.7.3"
home="$root/.tools/keycloak-$version"

java_home="$(bash "$root/scripts/keycloak-java.sh")"
if [ -n "${KEYCLOAK_HOME:-}" ] && [ -x "$KEYCLOAK_HOME/bin/kc.sh" ]; then echo "$KEYCLOAK_HOME"; exit 0; fi
if [ -f "$home/.idra-built" ]; then echo "$home"; exit 0; fi

command -v mvn >/dev/null 2>&1 || { echo "ensure-keycloak: Maven is needed to fetch Keycloak from Maven Central" >&2; exit 1; }
echo "ensure-keycloak: fetching Keycloak $version from Maven Central and building it (about 2 minutes)..." >&2
start=$(date +%s)
download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
mvn -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" -DoutputDirectory="$download" >&2
rm -rf "$home" "$home.partial"
mkdir -p "$home.partial"
# Python's zipfile (Python is needed anyway, for moto) keeps no file modes: the scripts are made runnable again.
python3 -m zipfile -e "$download/keycloak-quarkus-dist-$version.zip" "$home.partial"
mv "$home.partial/keycloak-$version" "$home"
rmdir "$home.partial"
chmod +x "$home"/bin/*.sh
# The build step fixes the server's build options once (dev database: H2), so each start takes seconds less.
JAVA_HOME="$java_home" "$home/bin/kc.sh" build --db=dev-file >&2
touch "$home/.idra-built"
echo "ensure-keycloak: ready in $(( $(date +%s) - start ))s" >&2
echo "$home"
