#!/usr/bin/env bash
# Footprint figures of the x86 JVM build (README "Footprint"): application size, RSS after start, RSS while
# processing one 720p camera in real time, start-up time to the first event. The 720p "camera" is vtest.avi
# scaled to 1280x720 (scripts/Make720p.java, 400 frames) replayed at its own 10 fps (replay-speed 1), published to a
# Mosquitto on a free loopback port. Needs: mvn package done (target/quarkus-app), media-cache/vtest.avi, models.
# arm64 figures come from scripts/arm64-smoke.sh (it prints start-up, per-frame time and RSS under emulation).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
no_arguments "$@"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"; cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
app=target/quarkus-app
[[ -f $app/quarkus-run.jar ]] || { echo "footprint: $app missing, run mvn package" >&2; exit 1; }
clip=media-cache/vtest-720p.mp4
if [[ ! -f $clip ]]; then
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$app/lib/main/*" scripts/Make720p.java media-cache/vtest.avi "$clip" 400 2>/dev/null | tail -1
fi
run_dir="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$run_dir"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port); http=$(free_port); mgmt=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$run_dir/m.conf"
/usr/sbin/mosquitto -c "$run_dir/m.conf" >/dev/null 2>&1 & pids+=($!)
sleep 0.5
mosquitto_sub -h 127.0.0.1 -p "$port" -t 'edgewatch/+/+/events' -F '%U' > "$run_dir/events" & pids+=($!)
sleep 0.3
t0=$(date +%s.%N)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dquarkus.http.port="$http" -Dquarkus.management.port="$mgmt" \
  -Dedgewatch.cameras.cam1.source="$clip" -Dedgewatch.cameras.cam1.replay-speed=1 \
  -jar "$app/quarkus-run.jar" run --mqtt-url "tcp://127.0.0.1:$port" > /dev/null 2> "$run_dir/agent.err" &
agent=$!; pids+=($agent)
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status" 2>/dev/null || echo 0; }
until curl -fs -o /dev/null "http://127.0.0.1:$mgmt/q/health/live"; do sleep 0.2; kill -0 $agent 2>/dev/null || { cat "$run_dir/agent.err" >&2; exit 1; }; done
t_ready=$(date +%s.%N); rss_start=$(rss $agent)
: > "$run_dir/rss"
while kill -0 $agent 2>/dev/null; do rss $agent >> "$run_dir/rss"; sleep 1; done
python3 - "$run_dir/events" "$run_dir/rss" "$t0" "$t_ready" "$rss_start" "$(du -sm $app | cut -f1)" "$(du -sm models-tflite/files/mobilenet_ssd_v2_coco_quant_postprocess.tflite | cut -f1)" <<'PY'
import sys, statistics
ev=[float(l) for l in open(sys.argv[1]) if l.strip()]
rss=[int(l) for l in open(sys.argv[2]) if l.strip() and int(l) > 0]
t0,tr=float(sys.argv[3]),float(sys.argv[4])
import os
print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
print(f"x86-64 JVM (Temurin 25), 720p camera (1280x720, 10 fps real time, {len(ev)} events)")
print(f"  application size (quarkus-app, x86-64 natives)  {sys.argv[6]} MB  + detector model {sys.argv[7]} MB")
print(f"  start-up to health endpoint                     {tr-t0:.1f} s")
print(f"  start-up to first event                         {ev[0]-t0:.1f} s" if ev else "  no event")
print(f"  RSS when the health endpoint first answers      {sys.argv[5]} MB")
print(f"  RSS while processing: median {statistics.median(rss)} MB, max {max(rss)} MB over {len(rss)} s")
PY
