#!/usr/bin/env bash
# Soak run (not part of the production jar nor of the normal test run): starts its own Mosquitto (TLS, password,
# client certificate) and RTSP server, runs the agent's event path on the RTSP stream and rotates faults (broker
# SIGKILL, agent SIGKILL, RTSP server down, frozen stream) for MINUTES minutes, then prints the figures.
# Last line: produced N delivered N duplicated N lost N reconnects N
# Usage: scripts/soak.sh [MINUTES]   (default 10; needs what .ci/run installs, models and media fetched)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
minutes="${1:-10}"
export JAVA_HOME="${JAVA_HOME_25:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}"
log="$(mktemp -t edgewatch-soak.XXXXXX.log)"
mvn -B -o -ntp test -Dtest=SoakRun -Dsoak.minutes="$minutes" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1 || status=$?
grep -E '^soak ' "$log" || true
echo "full log: $log"
last="$(grep -E '^produced [0-9]+ delivered [0-9]+ duplicated [0-9]+ lost [0-9]+ reconnects [0-9]+$' "$log" | tail -1 || true)"
if [[ -z "$last" ]]; then
  echo "soak run failed (status ${status:-0}); see $log" >&2
  tail -30 "$log" >&2
  exit 1
fi
echo "$last"
exit "${status:-0}"
