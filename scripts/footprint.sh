#!/usr/bin/env bash
# Footprint of the x86 JVM build, the plain jar and the AOT-cached jar side by side in one run (README "Footprint"):
# start to ready (/q/health/ready answers 200), start to the first event at the broker, RSS when ready, and RSS
# while 1, 4 and 8 cameras each replay media-cache/vtest.avi (768x576) at its own 10 fps, published to a Mosquitto
# on a free loopback port. Both modes run with the launcher's JVM flags (systemd/edgewatch: serial collector, heap
# 8 MB growing to 256 MB, JVM output on standard error, the start-up compiler directives systemd/jit-startup.json);
# the AOT mode adds -XX:AOTCache=target/quarkus-app/app.aot and checks that
# the agent logged the cache in use. Runs alternate plain / AOT so a change of machine load hits both alike.
# While the largest camera count runs, the status page (GET / of the management interface with the access token,
# README "Status page") is fetched 40 times, 0.1 s apart, and its serve time printed (median and p95, ms).
#
# Usage: scripts/footprint.sh [--short] [--starts N] [--cameras LIST]
#   --short         CI's version: 1 start per mode, 4 s warm-up and 6 s of RSS samples per camera count
#   --starts N      start-up measurements per mode (default 3; the median is printed)
#   --cameras LIST  camera counts for the RSS rows, comma-separated (default 1,4,8)
# Needs: target/quarkus-app (mvn package) and its app.aot (mvn verify or scripts/aot-cache.sh), the models,
# media-cache/vtest.avi, mosquitto and mosquitto_sub (.ci/run installs them).
# Last line: `footprint ready_ratio R first_event_ratio F aot_first_event_s S rss1_mb M per_camera_mb P`
# (ratios AOT / plain; rss and per-camera figures of the AOT mode), after a line
# `status_page cameras N p50_ms X p95_ms Y` (AOT mode). Exit 0, 1 when a run fails, 2 usage.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"; cd "$root"
starts=3; warm=10; window=20; counts=1,4,8
while (( $# )); do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --short) starts=1; warm=4; window=6; shift ;;
    --starts) [[ ${2:-} =~ ^[1-9][0-9]?$ ]] || { echo "footprint.sh: --starts needs a whole number 1..99" >&2; usage >&2; exit 2; }; starts=$2; shift 2 ;;
    --cameras) [[ ${2:-} =~ ^[1-9][0-9]?(,[1-9][0-9]?)*$ ]] || { echo "footprint.sh: --cameras needs counts like 1,4,8" >&2; usage >&2; exit 2; }; counts=$2; shift 2 ;;
    *) echo "footprint.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
app=target/quarkus-app
[[ -f $app/quarkus-run.jar ]] || { echo "footprint.sh: $app missing, run mvn package" >&2; exit 1; }
[[ -f $app/app.aot ]] || { echo "footprint.sh: $app/app.aot missing (mvn verify makes it, or scripts/aot-cache.sh)" >&2; exit 1; }
[[ -f media-cache/vtest.avi ]] || { echo "footprint.sh: media-cache/vtest.avi missing (scripts/fetch-media.sh)" >&2; exit 1; }
exec python3 - "$JAVA_HOME/bin/java" "$app" "$starts" "$warm" "$window" "$counts" <<'PY'
import os, secrets, socket, statistics, subprocess, sys, tempfile, time, urllib.request

java, app, starts, warm, window, counts = sys.argv[1], os.path.abspath(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), [int(c) for c in sys.argv[6].split(",")]
video = os.path.abspath("media-cache/vtest.avi")
tmp = tempfile.mkdtemp(prefix="footprint-")
flags = ["--enable-native-access=ALL-UNNAMED", "-Djdk.serialFilter=!*", "-XX:+DisplayVMOutputToStderr", "-Xlog:disable",
         "-Xlog:all=warning:stderr", "-XX:+UseSerialGC", "-Xms8m", "-Xmx256m",
         "-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + os.path.abspath("systemd/jit-startup.json")]  # as systemd/edgewatch
env = dict(os.environ, MALLOC_ARENA_MAX="2")

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def rss_mb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None

port = free_port()
conf = os.path.join(tmp, "m.conf")
open(conf, "w").write(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
broker = subprocess.Popen(["/usr/sbin/mosquitto", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(0.5)
runs = 0
token = secrets.token_hex(32)
token_file = os.path.join(tmp, "token")
with open(os.open(token_file, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
    f.write(token + "\n")

def page_ms(mgmt, n):
    """Serve times of the status page, ms, n fetches 0.1 s apart (whole request: connect, answer, body)."""
    out = []
    for _ in range(n):
        req = urllib.request.Request(f"http://127.0.0.1:{mgmt}/", headers={"Authorization": "Bearer " + token})
        t = time.perf_counter()
        with urllib.request.urlopen(req, timeout=5) as r:
            body = r.read()
            if r.status != 200 or b'id="device"' not in body:
                raise SystemExit(f"footprint.sh: the status page answered {r.status} without the device line")
        out.append((time.perf_counter() - t) * 1000)
        time.sleep(0.1)
    return out

def run(mode, cameras, sample, page=False):
    """One agent start: (ready s, first event s, RSS at ready MB, RSS samples MB, status page ms)."""
    global runs
    runs += 1
    device = f"fp{runs}"
    events = os.path.join(tmp, f"{device}.events")
    sub = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-t", f"edgewatch/{device}/+/events", "-F", "%U"],
                           stdout=open(events, "w"), stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    mgmt = free_port()
    props = [f"-Dquarkus.http.port={free_port()}", f"-Dquarkus.management.port={mgmt}", f"-Dedgewatch.device-id={device}",
             f"-Dedgewatch.spool.dir={tmp}/{device}-spool", f"-Dedgewatch.http.token-file={token_file}"]
    for k in range(1, cameras + 1):
        props += [f"-Dedgewatch.cameras.cam{k}.source={video}", f"-Dedgewatch.cameras.cam{k}.replay-speed=1"]
    aot = [f"-XX:AOTCache={app}/app.aot"] if mode == "aot" else []
    err = open(os.path.join(tmp, f"{device}.err"), "w")
    t0 = time.time()
    agent = subprocess.Popen([java] + flags + aot + props + ["-jar", f"{app}/quarkus-run.jar", "run", "--mqtt-url", f"tcp://127.0.0.1:{port}"],
                             stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=os.getcwd())
    ready = first = rss_ready = None
    samples, served = [], []
    try:
        while ready is None:
            if agent.poll() is not None or time.time() - t0 > 120:
                raise SystemExit(f"footprint.sh: the agent ({mode}, {cameras} camera(s)) did not become ready:\n" + open(err.name).read()[-2000:])
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{mgmt}/q/health/ready", timeout=1) as r:
                    if r.status == 200:
                        ready = time.time() - t0; rss_ready = rss_mb(agent.pid)
            except Exception:
                time.sleep(0.05)
        while first is None and time.time() - t0 < 60:
            lines = [l for l in open(events) if l.strip()]
            if lines:
                first = float(lines[0]) - t0
            else:
                time.sleep(0.05)
        if sample:
            time.sleep(max(0.0, warm - (time.time() - t0 - ready)))
            end = time.time() + window
            while time.time() < end and agent.poll() is None:
                r = rss_mb(agent.pid)
                if r: samples.append(r)
                time.sleep(0.5)
            if page:
                served = page_ms(mgmt, 40)
            if agent.poll() is not None:
                raise SystemExit(f"footprint.sh: the agent ({mode}, {cameras} camera(s)) stopped while measured")
    finally:
        agent.terminate(); agent.wait(timeout=30); sub.terminate(); sub.wait()
    log = open(err.name).read()
    if mode == "aot" and "app.aot in use" not in log:
        raise SystemExit("footprint.sh: the AOT run did not use the cache:\n" + "\n".join(l for l in log.splitlines() if "AOT" in l or "aot" in l)[-2000:])
    return ready, first, rss_ready, samples, served

try:
    st = {"plain": [], "aot": []}
    for i in range(starts):
        for mode in ("plain", "aot"):
            st[mode].append(run(mode, 1, False))
    mem = {}
    for n in counts:
        for mode in ("plain", "aot"):
            r = run(mode, n, True, page=(mode == "aot" and n == max(counts)))
            mem[(mode, n)] = r[3]
            if r[4]:
                served = r[4]
finally:
    broker.terminate(); broker.wait()

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else float("nan")

vm = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
vmv = next((l.split("=", 1)[1].strip() for l in vm.splitlines() if "java.vm.version" in l), "?")
print(f"footprint: x86-64, Temurin {vmv}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; vtest.avi 768x576 at 10 fps per camera;"
      f" {starts} start(s) per mode (median), RSS sampled every 0.5 s for {window:.0f} s after {warm:.0f} s")
print(f"  application: quarkus-app {sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(app) for f in fs if f != 'app.aot') / 2**20:.0f} MB"
      f" + AOT cache {os.path.getsize(app + '/app.aot') / 2**20:.0f} MB")
print(f"  {'figure':<34}{'plain jar':>12}{'AOT cache':>12}{'AOT/plain':>11}")
rows = [("start to ready", "s", [s[0] for s in st["plain"]], [s[0] for s in st["aot"]]),
        ("start to first event", "s", [s[1] for s in st["plain"]], [s[1] for s in st["aot"]]),
        ("RSS when ready", "MB", [s[2] for s in st["plain"]], [s[2] for s in st["aot"]])]
for n in counts:
    rows.append((f"RSS, {n} camera{'s' if n > 1 else ''} (median)", "MB", mem[("plain", n)], mem[("aot", n)]))
fig = {}
for name, unit, p, a in rows:
    mp, ma = med(p), med(a)
    fig[name] = (mp, ma)
    fmt = (lambda v: f"{v:.2f} {unit}") if unit == "s" else (lambda v: f"{v:.0f} {unit}")
    print(f"  {name:<34}{fmt(mp):>12}{fmt(ma):>12}{ma / mp:>11.2f}")
per = {}
if len(counts) > 1:
    lo, hi = min(counts), max(counts)
    for mode in ("plain", "aot"):
        per[mode] = (med(mem[(mode, hi)]) - med(mem[(mode, lo)])) / (hi - lo)
    print(f"  {'RSS per further camera':<34}{per['plain']:>9.1f} MB{per['aot']:>9.1f} MB")
r1 = fig[rows[3][0]][1]
q = statistics.quantiles(served, n=20)
print(f"  status page (GET / with the token) at {max(counts)} camera(s), AOT: median {statistics.median(served):.1f} ms, p95 {q[18]:.1f} ms"
      f" over {len(served)} fetches")
print(f"status_page cameras {max(counts)} p50_ms {statistics.median(served):.1f} p95_ms {q[18]:.1f}")
print(f"footprint ready_ratio {fig['start to ready'][1] / fig['start to ready'][0]:.2f} first_event_ratio "
      f"{fig['start to first event'][1] / fig['start to first event'][0]:.2f} aot_first_event_s {fig['start to first event'][1]:.2f}"
      f" rss1_mb {r1:.0f} per_camera_mb {per.get('aot', float('nan')):.1f}")
PY
