#!/usr/bin/env bash
# arm64 proof: builds the fast-jar with the linux-arm64 Bytedeco natives (mvn -Parm64) into target/arm64, runs it
# under qemu-user emulation (qemu-aarch64-static, QEMU_LD_PREFIX) on Debian trixie's arm64 OpenJDK 25 JRE, has it
# process the first frames of media-cache/vtest.avi with the real detector, publish to a Mosquitto started on a
# free loopback port, and asserts the events. Prints start-up and per-frame figures (also kept in
# target/arm64/smoke-figures.txt). Then the face models: `identify` three photos under emulation against a gallery
# enrolled from one photo (on x86 when that build exists, else under emulation too), with identities and cosine
# similarities checked against the x86 build in target/quarkus-app (within 0.01) when it exists.
#
# The arm64 sysroot: a trixie apt source is derived at run time from this machine's own Debian apt sources (the
# URI serving the machine's codename, suite replaced by "trixie"); no mirror host is written into the repository.
# apt runs with a separate state, cache and source list under the work folder (-o Dir::State=... -o
# APT::Architecture=arm64), `apt-get download` fetches the JRE and the libraries the natives need, `dpkg -x`
# unpacks them. Nothing is installed on the host except what .ci/run installs (qemu-user-static, mosquitto,
# mosquitto-clients, python3).
#
# Why target/arm64: the x86 build in target/ (used by the tests) must not be overwritten, and a copy of the project
# would drift. The pom's arm64 profile sets the build directory to target/arm64, so `mvn -Parm64 package` puts
# classes, the jar and quarkus-app/ of the arm64 build in their own folder; `mvn clean` still removes both.
# (A property-driven <directory> was tried first: Quarkus' test bootstrap does not interpolate it and fails.)
#
# Environment: EDGEWATCH_ARM64_FRAMES (default 8; the tracker confirms a person after 3), EDGEWATCH_ARM64_TIMEOUT_S
# (default 900, the agent run; emulation on a loaded 2-core machine is slow),
# EDGEWATCH_ARM64_WORK (default target/arm64-smoke: apt state and sysroot, reused between runs),
# EDGEWATCH_ARM64_SKIP_BUILD=1 reuses an existing target/arm64 build, EDGEWATCH_ARM64_FACES_ENROL=arm64 enrols the
# face gallery under emulation too (one more emulated JVM start, about 3 minutes). EDGEWATCH_ARM64_X86_READY=FILE
# (.ci/run, which starts this script beside `mvn verify`): enrol and identify under emulation, then wait until FILE
# exists (at most EDGEWATCH_ARM64_X86_WAIT_S, default 3600 s; .ci/run creates it once the x86 build is complete) and
# compare with the x86 build.
# Exit: 0 when the events and faces checks pass, 1 otherwise (the reason is printed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
no_arguments "$@"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
frames="${EDGEWATCH_ARM64_FRAMES:-8}"
run_timeout="${EDGEWATCH_ARM64_TIMEOUT_S:-900}"
work="${EDGEWATCH_ARM64_WORK:-$root/target/arm64-smoke}"
build_dir="$root/target/arm64"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

die() { echo "arm64-smoke: $*" >&2; exit 1; }
now() { date +%s.%N; }
for tool in qemu-aarch64-static /usr/sbin/mosquitto mosquitto_sub python3 dpkg apt-get; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install qemu-user-static mosquitto mosquitto-clients python3; .ci/run does it)"
done
[[ -f media-cache/vtest.avi ]] || die "media-cache/vtest.avi missing: run scripts/fetch-media.sh"
[[ -f models-tflite/files/mobilenet_ssd_v2_coco_quant_postprocess.tflite ]] || die "detector model missing: run models-tflite/fetch.sh"

# --- 1. arm64 sysroot (trixie JRE + libraries), cached in $work ---------------------------------------------------
# Runtime libraries: the JRE's own (libc6, libgcc-s1, libstdc++6, zlib1g) and what the linux-arm64 natives link
# against that they do not bundle (readelf -d NEEDED): libva/libva-drm/libdrm (avutil, avcodec), libxcb/libxcb-shm
# and libpulse (avdevice, which JavaCV's FFmpegFrameGrabber loads). Their dependency closure is resolved by apt.
jre_pkg=openjdk-25-jre-headless
lib_pkgs=(libc6 libgcc-s1 libstdc++6 zlib1g libva2 libva-drm2 libdrm2 libxcb1 libxcb-shm0 libpulse0)
sysroot="$work/sysroot"
stamp="$sysroot/.edgewatch-packages"
want="$jre_pkg ${lib_pkgs[*]}"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  [[ -n "$codename" ]] || die "cannot read VERSION_CODENAME from /etc/os-release"
  uri="$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' | awk -v c="$codename" '$2==c {print $1; exit}')"
  [[ -n "$uri" ]] || die "no apt source for suite '$codename' in this machine's apt configuration to derive a trixie source from"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [[ -f "$keyring" ]] || die "$keyring missing (debian-archive-keyring)"
  apt_dir="$work/apt"
  rm -rf "$apt_dir" "$sysroot"
  mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc/preferences.d" "$apt_dir/debs" "$sysroot"
  touch "$apt_dir/state/status"
  echo "deb [arch=arm64 signed-by=$keyring] $uri trixie main" > "$apt_dir/etc/sources.list"
  echo "arm64-smoke: derived apt source: $(cat "$apt_dir/etc/sources.list")"
  apt_opts=(-o "Dir::State=$apt_dir/state" -o "Dir::State::status=$apt_dir/state/status" -o "Dir::Cache=$apt_dir/cache"
            -o "Dir::Etc::SourceList=$apt_dir/etc/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
            -o "Dir::Etc::Preferences=$apt_dir/etc/preferences" -o "Dir::Etc::PreferencesParts=$apt_dir/etc/preferences.d"
            -o APT::Architecture=arm64 -o APT::Architectures=arm64 -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  apt-get "${apt_opts[@]}" -qq update || die "apt-get update of the derived trixie arm64 source failed"
  mapfile -t closure < <(apt-cache "${apt_opts[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
      --no-breaks --no-replaces --no-enhances "${lib_pkgs[@]}" | grep -v '^[ <]' | sort -u)
  (cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" -qq download "$jre_pkg" "${closure[@]}") || die "apt-get download failed"
  for deb in "$apt_dir/debs"/*.deb; do dpkg -x "$deb" "$sysroot"; done
  # merged /usr: /lib and /bin are symlinks made by base-files, which is not unpacked
  ln -sfn usr/lib "$sysroot/lib"; ln -sfn usr/bin "$sysroot/bin"
  # absolute symlinks (the JRE's conf/ points at /etc/java-25-openjdk) must stay inside the sysroot
  while IFS= read -r l; do t="$(readlink "$l")"; [[ "$t" == /* ]] && ln -sfn "$sysroot$t" "$l"; done < <(find "$sysroot" -type l)
  echo "$want" > "$stamp"
  echo "arm64-smoke: sysroot with ${#closure[@]} library packages + $jre_pkg in $sysroot ($(du -sh "$sysroot" | cut -f1))"
fi
java_arm64="$(ls -d "$sysroot"/usr/lib/jvm/java-25-openjdk-arm64)/bin/java"
export QEMU_LD_PREFIX="$sysroot"
qemu-aarch64-static "$java_arm64" -version 2>&1 | head -2

# --- 2. arm64 fast-jar into target/arm64 ---------------------------------------------------------------------------
if [[ "${EDGEWATCH_ARM64_SKIP_BUILD:-0}" != 1 || ! -f "$build_dir/quarkus-app/quarkus-run.jar" ]]; then
  t0=$(now)
  mvn -B -ntp -q -Parm64 -DskipTests package || die "arm64 build (mvn -Parm64) failed"
  echo "arm64-smoke: built $build_dir/quarkus-app in $(python3 -c "print(round($(now)-$t0))") s"
fi
ls "$build_dir/quarkus-app/lib/main/" | grep -q 'tensorflow-lite-.*-linux-arm64.jar' || die "$build_dir has no linux-arm64 natives"

# --- 3. broker, subscriber, agent under emulation --------------------------------------------------------------------
run_dir="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$run_dir"; }
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$run_dir/mosquitto.conf"
/usr/sbin/mosquitto -c "$run_dir/mosquitto.conf" > "$run_dir/mosquitto.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
# %U: arrival time (unix s.ns), %t topic, %p payload
mosquitto_sub -h 127.0.0.1 -p "$port" -q 1 -t 'edgewatch/#' -F '%U %t %p' > "$run_dir/events.txt" 2> "$run_dir/sub.err" & pids+=($!)
sleep 0.5

echo "arm64-smoke: running the agent under qemu-aarch64-static on $frames frames of vtest.avi (time-out ${run_timeout} s)"
t_start=$(now)
timeout "$run_timeout" qemu-aarch64-static "$java_arm64" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED \
    -Dquarkus.http.port=0 -Dquarkus.management.port=0 -Dedgewatch.detector.threads=2 -Dedgewatch.spool.dir="$run_dir/spool" \
    -jar "$build_dir/quarkus-app/quarkus-run.jar" run --source media-cache/vtest.avi --camera cam1 --max-frames "$frames" \
    --mqtt-url "tcp://127.0.0.1:$port" > "$run_dir/agent.out" 2> "$run_dir/agent.err" &
agent=$!
# RSS of the emulated process (qemu-user: the guest's memory plus qemu's translation cache), MB, once a second
: > "$run_dir/rss"
while kill -0 "$agent" 2>/dev/null; do
  for child in $(pgrep -P "$agent" || true); do awk '/VmRSS/ {print int($2/1024)}' "/proc/$child/status" >> "$run_dir/rss" 2>/dev/null || true; done
  sleep 1
done
set +e
wait "$agent"
rc=$?
set -e
t_end=$(now)
sleep 1
cp "$run_dir/agent.err" "$work/agent-last.log" 2>/dev/null || true
cp "$run_dir/events.txt" "$work/events-last.txt" 2>/dev/null || true
if (( rc != 0 )); then
  tail -30 "$run_dir/agent.err" >&2
  die "agent exited with code $rc under emulation (124 = time-out after ${run_timeout} s); log: $work/agent-last.log"
fi

# --- 4. assertions and figures ---------------------------------------------------------------------------------------
mkdir -p "$build_dir"
python3 - "$run_dir/events.txt" "$run_dir/agent.err" "$t_start" "$t_end" "$frames" "$build_dir/smoke-figures.txt" "$run_dir/rss" <<'PY'
import json, os, re, sys, datetime
events_file, log_file, t_start, t_end, frames, figures_file, rss_file = sys.argv[1:8]
rss = [int(l) for l in open(rss_file) if l.strip()]
t_start, t_end, frames = float(t_start), float(t_end), int(frames)
fail = []
avail, events = [], []
for line in open(events_file, encoding="utf-8"):
    parts = line.rstrip("\n").split(" ", 2)
    if len(parts) < 3:
        continue
    at, topic, payload = float(parts[0]), parts[1], parts[2]
    if topic.endswith("/availability"):
        avail.append(payload)
    elif topic == "edgewatch/edgewatch-dev/cam1/events":
        events.append((at, json.loads(payload)))
    else:
        fail.append(f"unexpected topic {topic}")
if "online" not in avail:
    fail.append(f"no retained 'online' on the availability topic (got {avail})")
if avail and avail[-1] != "offline":
    fail.append(f"last availability message is {avail[-1]!r}, expected 'offline' after a clean stop")
seqs = [e["seq"] for _, e in events]
if seqs != list(range(1, len(seqs) + 1)):
    fail.append(f"event seq not contiguous from 1: {seqs}")
new = {e["track"]["id"] for _, e in events if e["type"] == "new"}
end = [e["track"]["id"] for _, e in events if e["type"] == "end"]
if not new:
    fail.append("no 'new' event: the detector found no person in the first frames of vtest.avi")
if sorted(end) != sorted(new):
    fail.append(f"every 'new' needs exactly one 'end': new {sorted(new)}, end {sorted(end)}")
for _, e in events:
    b = e["track"]["boxNorm"]
    if e["schema"] != "edgewatch.track-event/1" or e["track"]["label"] != "person":
        fail.append(f"unexpected schema/label in {e}")
    if not (0 <= b["xMin"] < b["xMax"] <= 1 and 0 <= b["yMin"] < b["yMax"] <= 1):
        fail.append(f"box out of range: {b}")
    if (e["frame"]["width"], e["frame"]["height"]) != (768, 576):
        fail.append(f"frame size {e['frame']}")
    if e["frame"]["seq"] > frames:
        fail.append(f"frame seq {e['frame']['seq']} beyond --max-frames {frames}")
log = open(log_file, encoding="utf-8", errors="replace").read()
m = re.search(r"started in ([0-9.]+)s", log)
quarkus_s = float(m.group(1)) if m else float("nan")
def log_time(pattern):
    m = re.search(r"^(\d\d):(\d\d):(\d\d\.\d\d\d) \S+\s+\[[^]]*\] " + pattern, log, re.M)
    if not m:
        return None
    day = datetime.datetime.fromtimestamp(t_start, datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return day.timestamp() + int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
opened = log_time(r"camera cam1: opened")
first_event = events[0][0] if events else float("nan")
last_event = events[-1][0] if events else float("nan")
per_frame = (last_event - opened) / frames if opened else float("nan")
lines = [
    f"arm64 (qemu-aarch64-static, Debian trixie OpenJDK 25 arm64, C1 only) {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%dT%H:%MZ}",
    f"  quarkus start-up (log 'started in')      {quarkus_s:.1f} s",
    f"  process start to first event             {first_event - t_start:.1f} s",
    f"  per frame (camera opened -> last event)  {per_frame * 1000:.0f} ms over {frames} frames (decode + detect + track + publish)",
    f"  whole run (process start to exit)        {t_end - t_start:.1f} s",
    f"  RSS of the emulated process               max {max(rss) if rss else 0} MB (qemu-user: guest memory + translation cache)",
    f"  events {len(events)} (new {len(new)}, end {len(end)}), availability {avail}",
    f"  load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (emulation time grows with load)",
]
print("\n".join(lines))
with open(figures_file, "a", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
if fail:
    print("arm64-smoke: FAILED\n  " + "\n  ".join(fail[:20]), file=sys.stderr)
    sys.exit(1)
print("arm64-smoke: OK")
PY

# --- 5. faces under emulation: enrol one photo, identify three, scores against this machine's x86 build ----------
# BlazeFace full range + MobileFaceNet (float32, XNNPACK's NEON kernels on arm64, AVX on x86): the same photos must
# give the same identities and cosine similarities within 0.01 on both architectures.
faces_dir="$(cd "$root/.." && pwd)/shared/media/faces"
if [[ ! -f "$faces_dir/obama.jpg" ]]; then
  echo "arm64-smoke: faces step skipped: shared test photos not found at $faces_dir"
  exit 0
fi
python3 -c 'import secrets; print(secrets.token_hex(32))' > "$run_dir/gallery.key"
chmod 600 "$run_dir/gallery.key"
face_props=(-Dedgewatch.faces.purpose="arm64 proof of the face models" -Dedgewatch.faces.legal-basis="test photos, no real subject")
photos=("$faces_dir/obama2.jpg" "$faces_dir/biden.jpg" "$faces_dir/grace_hopper.bmp")
faces_enroll() { # $1 = label; the rest = java command up to and including -jar JAR; makes $run_dir/gallery-$1 with person-A
  local label="$1"; shift
  "$@" enroll --gallery "$run_dir/gallery-$label" --key-file "$run_dir/gallery.key" --id person-A "$faces_dir/obama.jpg" \
      > "$run_dir/$label-enroll.out" 2> "$run_dir/$label-enroll.err" || { tail -20 "$run_dir/$label-enroll.err" >&2; die "$label: enroll failed"; }
}
faces_identify() { # $1 = label, $2 = gallery; the rest = java command up to and including -jar JAR; JSON lines to $run_dir/$1.json
  local label="$1" g="$2"; shift 2
  "$@" identify --gallery "$g" --key-file "$run_dir/gallery.key" "${photos[@]}" \
      > "$run_dir/$label.out" 2> "$run_dir/$label-identify.err" || { tail -20 "$run_dir/$label-identify.err" >&2; die "$label: identify failed"; }
  grep '^{' "$run_dir/$label.out" > "$run_dir/$label.json" || true
}
arm64_java=(timeout "$run_timeout" qemu-aarch64-static "$java_arm64" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
  --enable-native-access=ALL-UNNAMED "${face_props[@]}" -jar "$build_dir/quarkus-app/quarkus-run.jar")
x86_jar="$root/target/quarkus-app/quarkus-run.jar"
# With the x86 build here, the gallery is enrolled once on x86 (the store is the same MVStore file on both) and arm64
# identifies against a copy of it: one JVM start under emulation instead of two. Enrolment runs the same detector and
# embedder as identify, so the arm64 scores still come from arm64 embeddings of the probe photos; the x86 reference is
# the same gallery. EDGEWATCH_ARM64_FACES_ENROL=arm64 (or no x86 build) enrols under emulation too.
t0=$(now)
if [[ -z "${EDGEWATCH_ARM64_X86_READY:-}" && -f "$x86_jar" && "${EDGEWATCH_ARM64_FACES_ENROL:-x86}" != arm64 ]]; then
  x86_java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${face_props[@]}" -jar "$x86_jar")
  faces_enroll x86 "${x86_java[@]}"
  faces_identify x86 "$run_dir/gallery-x86" "${x86_java[@]}"
  cp -r "$run_dir/gallery-x86" "$run_dir/gallery-arm64"
  echo "arm64-smoke: faces: gallery enrolled on x86, identify under qemu-aarch64-static"
  t0=$(now)
  faces_identify arm64 "$run_dir/gallery-arm64" "${arm64_java[@]}"
  starts="identify 3 photos against the x86-enrolled gallery; one JVM start under emulation"
else
  echo "arm64-smoke: faces: enroll + identify under qemu-aarch64-static"
  faces_enroll arm64 "${arm64_java[@]}"
  faces_identify arm64 "$run_dir/gallery-arm64" "${arm64_java[@]}"
  starts="enrol obama.jpg, identify 3 photos; two JVM starts under emulation"
  arm_s=$(python3 -c "print(round($(now)-$t0, 1))")
  if [[ -n "${EDGEWATCH_ARM64_X86_READY:-}" ]]; then
    wait_s="${EDGEWATCH_ARM64_X86_WAIT_S:-3600}"
    [[ "$wait_s" =~ ^[0-9]+$ ]] || die "EDGEWATCH_ARM64_X86_WAIT_S must be a whole number of seconds, was '$wait_s'"
    echo "arm64-smoke: faces: waiting for $EDGEWATCH_ARM64_X86_READY (the x86 build, at most $wait_s s)"
    t0=$(now)
    for (( i = 0; i < wait_s; i++ )); do [[ -e "$EDGEWATCH_ARM64_X86_READY" ]] && break; sleep 1; done
    [[ -e "$EDGEWATCH_ARM64_X86_READY" ]] || die "$EDGEWATCH_ARM64_X86_READY did not appear within $wait_s s"
    echo "arm64-smoke: faces: x86 build ready after $(python3 -c "print(round($(now)-$t0))") s"
  fi
  if [[ -f "$x86_jar" ]]; then
    x86_java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${face_props[@]}" -jar "$x86_jar")
    faces_enroll x86 "${x86_java[@]}"
    faces_identify x86 "$run_dir/gallery-x86" "${x86_java[@]}"
  else
    echo "arm64-smoke: no x86 build at $x86_jar (mvn package): arm64 face scores are checked against the documented figures only"
    : > "$run_dir/x86.json"
  fi
fi
arm_s="${arm_s:-$(python3 -c "print(round($(now)-$t0, 1))")}"
python3 - "$run_dir/arm64.json" "$run_dir/x86.json" "$arm_s" "$build_dir/smoke-figures.txt" "$starts" <<'PY'
import json, os, sys
arm_file, x86_file, arm_s, figures_file, starts = sys.argv[1:6]
arm = [json.loads(l) for l in open(arm_file) if l.strip()]
x86 = [json.loads(l) for l in open(x86_file) if l.strip()]
name = lambda r: os.path.basename(r["image"])
fail = []
want = {"obama2.jpg": "person-A", "biden.jpg": None, "grace_hopper.bmp": None}
got = {name(r): r for r in arm}
if sorted(got) != sorted(want) or len(arm) != 3:
    fail.append(f"arm64 identify: expected one face in each of {sorted(want)}, got {[name(r) for r in arm]}")
for img, ident in want.items():
    if img in got and got[img]["identity"] != ident:
        fail.append(f"arm64 {img}: identity {got[img]['identity']!r}, expected {ident!r} (score {got[img]['score']})")
rows = []
if x86:
    ref = {name(r): r for r in x86}
    for img in want:
        if img in got and img in ref:
            d = abs(got[img]["score"] - ref[img]["score"])
            rows.append(f"    {img:18s} arm64 {got[img]['score']:+.4f}  x86 {ref[img]['score']:+.4f}  |diff| {d:.4f}")
            if d > 0.01:
                fail.append(f"{img}: arm64 score {got[img]['score']} differs from x86 {ref[img]['score']} by more than 0.01")
            if got[img]["identity"] != ref[img]["identity"]:
                fail.append(f"{img}: arm64 identity {got[img]['identity']!r} but x86 {ref[img]['identity']!r}")
else:
    rows = [f"    {img:18s} arm64 {got[img]['score']:+.4f}" for img in want if img in got]
    if "obama2.jpg" in got and not 0.75 <= got["obama2.jpg"]["score"] <= 0.87:
        fail.append(f"obama2.jpg: arm64 score {got['obama2.jpg']['score']} outside the documented 0.75..0.87")
lines = [f"  faces ({starts}) {arm_s} s; cosine similarity to person-A:"] + rows
print("\n".join(lines))
with open(figures_file, "a", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
if fail:
    print("arm64-smoke: faces FAILED\n  " + "\n  ".join(fail), file=sys.stderr)
    sys.exit(1)
print("arm64-smoke: faces OK")
PY
