#!/usr/bin/env bash
# Soak run (not part of the production jar nor of the normal test run): starts its own Mosquitto (TLS, password,
# client certificate) and RTSP server, runs the agent's event path on the RTSP stream and rotates faults (broker
# SIGKILL, agent SIGKILL, RTSP server down, frozen stream) for MINUTES minutes, then prints the figures.
# Last line: produced N delivered N duplicated N lost N reconnects N
# Usage: scripts/soak.sh [MINUTES | --minutes MINUTES] [-h|--help]   (default 10; needs what .ci/run installs,
# models and media fetched)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
minutes=10
while (( $# )); do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --minutes) minutes="${2:-}"; shift; shift || true ;;
    --minutes=*) minutes="${1#--minutes=}"; shift ;;
    -*) echo "soak.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) minutes="$1"; shift ;;
  esac
done
if ! [[ "$minutes" =~ ^[1-9][0-9]{0,3}$ ]]; then
  echo "soak.sh: MINUTES must be a whole number 1..9999, was '$minutes'" >&2; usage >&2; exit 2
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
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
