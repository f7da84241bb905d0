#!/usr/bin/env bash
# Fleet load test (issue 13; not part of the production jar nor of the normal test run): fetches Apache ActiveMQ
# Artemis 2.40.0 from Maven Central (sha256 checked), starts a 3-node Artemis cluster on loopback (MQTT acceptors,
# ON_DEMAND load balancing, redistribution-delay 0), runs N simulated agents in one JVM
# (src/test/java/io/edgewatch/testsupport/FleetSimMain: per agent its own device id, MVStore spool and the product's
# MqttEventSink with the 3 nodes as failover list, replaying track events recorded from the real pipeline on
# media-cache/vtest.avi) and central consumers on $share/central/edgewatch/+/+/events, SIGKILLs one node a third
# into the load and restarts it; then the same run against one plain Mosquitto (also SIGKILLed and restarted).
# Each run's last line: agents N events_produced X delivered X duplicated D lost L p95_latency_ms T
# (p95 outside the failover window; loss counted per device by seq after de-duplication)
# Usage: scripts/fleet-sim.sh [--agents N] [--rate EV_PER_S] [--seconds S] [--down S] [--producers N] [--short] [--no-mosquitto] [-h|--help]
#   --agents N      simulated agents (default 100)
#   --rate R        events per second per agent (default 10)
#   --seconds S     load duration per run, seconds (default 180)
#   --down S        seconds the killed node stays down (default 10)
#   --producers N   simulator threads that publish for the agents, each for its share (default 4)
#   --short         CI-sized: 10 agents x 10 ev/s x 30 s
#   --no-mosquitto  skip the single-Mosquitto comparison run
# Needs: models and media fetched (models-tflite/fetch.sh, scripts/fetch-media.sh), /usr/sbin/mosquitto, Maven
# (Artemis comes from Maven Central). Work files go to target/fleet-sim/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
agents=100 rate=10 seconds=180 down=10 producers=4 mosquitto=1
value() { [[ -n "${2:-}" ]] || { echo "fleet-sim.sh: $1 needs a value" >&2; usage >&2; exit 2; }; }
while (( $# )); do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --agents) value "$1" "${2:-}"; agents="$2"; shift 2 ;;
    --agents=*) agents="${1#*=}"; shift ;;
    --rate) value "$1" "${2:-}"; rate="$2"; shift 2 ;;
    --rate=*) rate="${1#*=}"; shift ;;
    --seconds) value "$1" "${2:-}"; seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    --down) value "$1" "${2:-}"; down="$2"; shift 2 ;;
    --down=*) down="${1#*=}"; shift ;;
    --producers) value "$1" "${2:-}"; producers="$2"; shift 2 ;;
    --producers=*) producers="${1#*=}"; shift ;;
    --short) agents=10 rate=10 seconds=30; shift ;;
    --no-mosquitto) mosquitto=0; shift ;;
    *) echo "fleet-sim.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$agents" =~ ^[1-9][0-9]{0,4}$ ]] || { echo "fleet-sim.sh: --agents must be a whole number 1..99999, was '$agents'" >&2; exit 2; }
[[ "$rate" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] && awk "BEGIN{exit !($rate > 0 && $rate <= 1000)}" \
  || { echo "fleet-sim.sh: --rate must be a number > 0 and <= 1000 (events/s per agent), was '$rate'" >&2; exit 2; }
[[ "$seconds" =~ ^[1-9][0-9]{0,4}$ ]] && (( seconds >= 10 )) || { echo "fleet-sim.sh: --seconds must be a whole number >= 10, was '$seconds'" >&2; exit 2; }
[[ "$down" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "fleet-sim.sh: --down must be a whole number of seconds >= 1, was '$down'" >&2; exit 2; }
[[ "$producers" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "fleet-sim.sh: --producers must be a whole number 1..999, was '$producers'" >&2; exit 2; }

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
export JAVA_HOME="${JAVA_HOME_25:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}"
export PATH="$JAVA_HOME/bin:$PATH"
[[ -x /usr/sbin/mosquitto ]] || { echo "fleet-sim.sh: /usr/sbin/mosquitto is missing (apt-get install mosquitto)" >&2; exit 1; }
[[ -f media-cache/vtest.avi ]] || { echo "fleet-sim.sh: media-cache/vtest.avi is missing: run scripts/fetch-media.sh" >&2; exit 1; }
[[ -d models-tflite/files ]] || { echo "fleet-sim.sh: models-tflite/files is missing: run models-tflite/fetch.sh" >&2; exit 1; }

ARTEMIS_VERSION=2.40.0
ARTEMIS_SHA256=3add67e7b0af89f81eac1e6c577427b049b4e7502fb278c591838465d5ca93b5
work="$root/target/fleet-sim"
mkdir -p "$work"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for n in 1 2 3; do [[ -f "$work/node$n.pid" ]] && kill -9 "$(cat "$work/node$n.pid")" 2>/dev/null || true; done
  [[ -f "$work/mosquitto.pid" ]] && kill -9 "$(cat "$work/mosquitto.pid")" 2>/dev/null || true
  rm -f "$work"/node?.pid "$work/mosquitto.pid"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "fleet-sim: agents $agents rate $rate ev/s seconds $seconds down $down s (work files in $work)"
tarball="$work/apache-artemis-$ARTEMIS_VERSION-bin.tar.gz"
if [[ ! -f "$tarball" ]]; then
  mvn -B -ntp -q dependency:copy -Dartifact="org.apache.activemq:apache-artemis:$ARTEMIS_VERSION:tar.gz:bin" \
    -DoutputDirectory="$work" >"$work/fetch.log" 2>&1 || { echo "fleet-sim.sh: fetching Artemis failed, see $work/fetch.log" >&2; exit 1; }
fi
echo "$ARTEMIS_SHA256  $tarball" | sha256sum -c --quiet - || { echo "fleet-sim.sh: $tarball does not match the recorded sha256" >&2; exit 1; }
home="$work/apache-artemis-$ARTEMIS_VERSION"
[[ -x "$home/bin/artemis" ]] || tar -xzf "$tarball" -C "$work"

mvn -B -ntp -q -o test-compile >"$work/build.log" 2>&1 || { echo "fleet-sim.sh: test-compile failed, see $work/build.log" >&2; exit 1; }
mvn -B -ntp -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" >>"$work/build.log" 2>&1 \
  || { echo "fleet-sim.sh: class path failed, see $work/build.log" >&2; exit 1; }
cp="$root/target/test-classes:$root/target/classes:$(cat "$work/classpath.txt")"
java_cmd=(java --enable-native-access=ALL-UNNAMED -cp "$cp")

events="$work/events.jsonl"
if [[ ! -s "$events" ]]; then
  echo "fleet-sim: recording the track events of the real pipeline on media-cache/vtest.avi (once, kept in $events)"
  "${java_cmd[@]}" -Xmx512m io.edgewatch.testsupport.FleetSimMain record "$events" >"$work/record.log" 2>&1 \
    || { echo "fleet-sim.sh: recording failed, see $work/record.log" >&2; tail -20 "$work/record.log" >&2; exit 1; }
  tail -1 "$work/record.log"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { # port pid-file what
  local i
  for i in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$(cat "$2")" 2>/dev/null || { echo "fleet-sim.sh: $3 exited while starting" >&2; return 1; }
    sleep 0.2
  done
  echo "fleet-sim.sh: $3 did not listen on $1 within 60 s" >&2; return 1
}

# --- Artemis cluster ---
cluster_password="$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
declare -a core mqtt
for n in 1 2 3; do core[$n]=$(free_port); mqtt[$n]=$(free_port); done
for n in 1 2 3; do
  others=()
  for m in 1 2 3; do (( m != n )) && others+=("tcp://127.0.0.1:${core[$m]}"); done
  dir="$work/node$n"
  rm -rf "$dir"
  "$home/bin/artemis" create --silent --force --name "node$n" --host 127.0.0.1 --default-port "${core[$n]}" \
    --clustered --cluster-user cluster --cluster-password "$cluster_password" \
    --staticCluster "$(IFS=,; echo "${others[*]}")" --message-load-balancing ON_DEMAND --max-hops 1 \
    --no-amqp-acceptor --no-hornetq-acceptor --no-stomp-acceptor --no-web --allow-anonymous --user admin --password "$cluster_password" \
    --java-memory 256M --nio --no-fsync "$dir" >"$work/create-node$n.log" 2>&1 \
    || { echo "fleet-sim.sh: artemis create node$n failed, see $work/create-node$n.log" >&2; exit 1; }
  xml="$dir/etc/broker.xml"
  # the MQTT acceptor on its own free port; messages of a queue without consumer move to a node that has one at once
  sed -i -E "s#(<acceptor name=\"mqtt\">tcp://127.0.0.1:)[0-9]+#\1${mqtt[$n]}#" "$xml"
  sed -i -E "0,/<address-setting match=\"#\">/s##<address-setting match=\"\#\">\n            <redistribution-delay>0</redistribution-delay>#" "$xml"
  grep -q "tcp://127.0.0.1:${mqtt[$n]}" "$xml" && grep -q '<redistribution-delay>0</redistribution-delay>' "$xml" \
    || { echo "fleet-sim.sh: could not template $xml" >&2; exit 1; }
  # artemis create writes -Xms512M beside -Xmx256M (the JVM refuses that); a small heap, 1 GC thread: the machine is small
  sed -i -E 's/-Xms512M/-Xms64M/; s/-XX:\+PrintClassHistogram/-XX:+PrintClassHistogram -XX:ParallelGCThreads=1 -XX:ConcGCThreads=1/' "$dir/etc/artemis.profile"
done
start_node() {
  local n=$1
  "$work/node$n/bin/artemis" run >>"$work/node$n.log" 2>&1 &
  echo $! >"$work/node$n.pid"
  wait_port "${mqtt[$n]}" "$work/node$n.pid" "Artemis node$n"
}
for n in 1 2 3; do start_node "$n" & done
wait
for n in 1 2 3; do [[ -f "$work/node$n.pid" ]] || exit 1; done
# wait for the cluster bridges (each node logs the other two)
for i in $(seq 1 150); do
  ok=1
  for n in 1 2 3; do (( $(grep -c 'AMQ221027' "$work/node$n.log" || true) >= 2 )) || ok=0; done
  (( ok )) && break
  sleep 0.2
done
(( ok )) || echo "fleet-sim: warning: the cluster bridges did not all report within 30 s (see $work/node?.log)"
urls="tcp://127.0.0.1:${mqtt[1]},tcp://127.0.0.1:${mqtt[2]},tcp://127.0.0.1:${mqtt[3]}"
echo "fleet-sim: Artemis cluster up: $urls"

kill_at=$(( seconds / 3 ))
run_sim() { # label urls consumerUrls killCmd restartCmd
  local label=$1 log="$work/$1.log" t0=$SECONDS
  rm -rf "$work/spool-$label"
  "${java_cmd[@]}" -Xmx1g -Dlabel="$label" -Dagents="$agents" -Drate="$rate" -Dseconds="$seconds" -Dproducers="$producers" -Durls="$2" -DconsumerUrls="$3" \
    -Dspool="$work/spool-$label" -DkillAtS="$kill_at" -DdownS="$down" -DkillCmd="$4" -DrestartCmd="$5" \
    io.edgewatch.testsupport.FleetSimMain run "$events" >"$log" 2>"$log.err" &
  local pid=$!
  pids+=("$pid")
  local status=0
  wait "$pid" || status=$?
  grep -E "^$label: |^agents " "$log" | sed "s/^agents /$label: agents /" || true
  echo "$label: wall time $(( SECONDS - t0 )) s (log $log)"
  grep -qE '^agents [0-9]+ events_produced' "$log" || { echo "fleet-sim.sh: the $label run printed no result (status $status); see $log and $log.err" >&2; tail -20 "$log.err" >&2; return 1; }
}
kill_node1="kill -9 \$(cat '$work/node1.pid'); echo 'fleet-sim: SIGKILL Artemis node1'"
restart_node1="'$work/node1/bin/artemis' run >>'$work/node1.log' 2>&1 & echo \$! >'$work/node1.pid'; echo 'fleet-sim: Artemis node1 restarted'"
run_sim artemis "$urls" "$urls" "$kill_node1" "$restart_node1"
for n in 1 2 3; do kill -9 "$(cat "$work/node$n.pid")" 2>/dev/null || true; done

if (( mosquitto )); then
  mport=$(free_port)
  mdir="$work/mosquitto"
  mkdir -p "$mdir"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n' "$mport" >"$mdir/mosquitto.conf"
  start_mosquitto="/usr/sbin/mosquitto -c '$mdir/mosquitto.conf' >>'$mdir/mosquitto.log' 2>&1 & echo \$! >'$work/mosquitto.pid'"
  bash -c "$start_mosquitto"
  wait_port "$mport" "$work/mosquitto.pid" "mosquitto"
  run_sim mosquitto "tcp://127.0.0.1:$mport" "tcp://127.0.0.1:$mport,tcp://127.0.0.1:$mport,tcp://127.0.0.1:$mport" \
    "kill -9 \$(cat '$work/mosquitto.pid'); echo 'fleet-sim: SIGKILL mosquitto'" "$start_mosquitto; echo 'fleet-sim: mosquitto restarted'"
fi
