#!/usr/bin/env bash
# CI check of the systemd packaging (run by .ci/run after `mvn package`):
#  1. install.sh --root into a temporary folder (the layout an installer gets),
#  2. systemd-analyze verify on the installed unit (paths rewritten into the temporary root, so the launcher it
#     names exists and is executable), which must print nothing,
#  3. systemd-analyze security --offline=true --threshold=20: exposure must be 2.0 or lower,
#  4. the installed launcher runs `doctor` on the installed models (sha256) and vtest.avi, with the start-up compiler
#     directives (lib/jit-startup.json) passed to the JVM,
#  5. when the build has an AOT cache (target/quarkus-app/app.aot, made by `mvn verify`), doctor reports it in use;
#     after a jar's modification time changes the JVM ignores the stale cache: doctor warns and still passes, and
#     `run` still writes only JSON events to standard output (the JVM's warning goes to standard error),
#  6. uninstall.sh --root removes the application and keeps configuration and state.
# systemd-analyze works here without a running systemd (no PID 1 systemd in the container): verify and
# --offline=true security only read unit files.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$src"
command -v systemd-analyze >/dev/null || { echo "check.sh: systemd-analyze missing (apt-get install systemd)" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"
systemd/install.sh --root "$root" >/dev/null
unit="$root/etc/systemd/system/edgewatch.service"
[[ -x "$root/opt/edgewatch/bin/edgewatch" && -f "$root/opt/edgewatch/quarkus-app/quarkus-run.jar" && -f "$root/etc/edgewatch/application.properties" ]] \
  || { echo "check.sh: install.sh did not produce the expected layout" >&2; exit 1; }
[[ -f "$root/opt/edgewatch/lib/jit-startup.json" ]] || { echo "check.sh: install.sh did not install lib/jit-startup.json" >&2; exit 1; }
[[ "$(stat -c %a "$root/etc/edgewatch/credentials")" == 700 && "$(stat -c %a "$root/etc/edgewatch/credentials/gallery-key")" == 600
   && "$(stat -c %a "$root/etc/edgewatch/credentials/http-token")" == 600 ]] \
  || { echo "check.sh: credentials folder, gallery key or HTTP token has wrong permissions" >&2; exit 1; }
# the token is created once: a second install keeps it
token="$(cat "$root/etc/edgewatch/credentials/http-token")"
[[ "$token" =~ ^[0-9a-f]{64}$ ]] || { echo "check.sh: HTTP token is not 64 hex digits" >&2; exit 1; }
systemd/install.sh --root "$root" >/dev/null
[[ "$(cat "$root/etc/edgewatch/credentials/http-token")" == "$token" ]] || { echo "check.sh: install.sh replaced the HTTP token" >&2; exit 1; }

mkdir -p "$tmp/verify"
sed "s#/opt/edgewatch#$root/opt/edgewatch#g" "$unit" > "$tmp/verify/edgewatch.service"
out="$(systemd-analyze verify "$tmp/verify/edgewatch.service" 2>&1)" || { echo "$out" >&2; echo "check.sh: systemd-analyze verify failed" >&2; exit 1; }
[[ -z "$out" ]] || { echo "$out" >&2; echo "check.sh: systemd-analyze verify printed warnings" >&2; exit 1; }
echo "systemd-analyze verify: clean"

sec="$(systemd-analyze security --offline=true --threshold=20 --no-pager "$unit" 2>&1)" || { echo "$sec" | tail -25 >&2; echo "check.sh: exposure above 2.0" >&2; exit 1; }
echo "$sec" | grep 'Overall exposure level'

state="$tmp/state"; mkdir -p "$state"
JAVA_OPTS="-XX:+CompilerDirectivesPrint -Dquarkus.http.port=0 -Dedgewatch.http.token-file=$root/etc/edgewatch/credentials/http-token -Dedgewatch.detector.manifest=$root/opt/edgewatch/models-tflite/ssd-mobilenet-v2-coco.manifest.json -Dedgewatch.cameras.cam1.source=$src/media-cache/vtest.avi -Dedgewatch.doctor.state-dirs=$state -Dedgewatch.doctor.min-free-mb=1" \
  "$root/opt/edgewatch/bin/edgewatch" doctor 2>"$tmp/doctor.err" | tee "$tmp/doctor.out"
grep -q '^PASSED' "$tmp/doctor.out" || { cat "$tmp/doctor.err" >&2; echo "check.sh: doctor on the installed layout failed" >&2; exit 1; }
grep -q '\[OK  \] http access' "$tmp/doctor.out" || { echo "check.sh: doctor does not accept the installed HTTP token" >&2; exit 1; }
# the launcher passed the installed start-up compiler directives (the JVM printed them: -XX:+CompilerDirectivesPrint)
grep -q 'compiler directives added' "$tmp/doctor.err" && grep -q 'io/smallrye/config/\*\.\*' "$tmp/doctor.err" \
  || { echo "check.sh: the launcher did not pass lib/jit-startup.json to the JVM" >&2; exit 1; }

if [[ -f target/quarkus-app/app.aot ]]; then
  grep -q '\[OK  \] aot cache .*/opt/edgewatch/quarkus-app/app.aot in use' "$tmp/doctor.out" \
    || { echo "check.sh: the installed AOT cache is not in use" >&2; exit 1; }
  touch "$root"/opt/edgewatch/quarkus-app/lib/main/*.jar  # as a copy without -a, or a rebuilt jar, would
  JAVA_OPTS="-Dquarkus.http.port=0 -Dedgewatch.detector.manifest=$root/opt/edgewatch/models-tflite/ssd-mobilenet-v2-coco.manifest.json -Dedgewatch.cameras.cam1.source=$src/media-cache/vtest.avi -Dedgewatch.doctor.state-dirs=$state -Dedgewatch.doctor.min-free-mb=1" \
    "$root/opt/edgewatch/bin/edgewatch" doctor 2>"$tmp/doctor.err" > "$tmp/doctor2.out" || true
  grep -q '^PASSED' "$tmp/doctor2.out" && grep -q '\[WARN\] aot cache .* was not used' "$tmp/doctor2.out" \
    || { cat "$tmp/doctor2.out" "$tmp/doctor.err" >&2; echo "check.sh: a stale AOT cache is not reported, or stops the agent" >&2; exit 1; }
  JAVA_OPTS="-Dquarkus.http.port=0 -Dquarkus.management.port=0 -Dedgewatch.detector.manifest=$root/opt/edgewatch/models-tflite/ssd-mobilenet-v2-coco.manifest.json" \
    "$root/opt/edgewatch/bin/edgewatch" run --source "$src/media-cache/vtest.avi" --max-frames 60 > "$tmp/run.out" 2> "$tmp/run.err"
  python3 -c 'import json,sys; n=[json.loads(l) for l in open(sys.argv[1])]; assert n, "no event"' "$tmp/run.out" \
    && grep -q 'AOT cache .* was not used' "$tmp/run.err" \
    || { tail -5 "$tmp/run.out" "$tmp/run.err" >&2; echo "check.sh: with a stale AOT cache, run's output is not only events or the agent did not say so" >&2; exit 1; }
  echo "AOT cache: in use when installed; a stale one is reported (doctor WARN, run's log) and ignored"
else
  echo "AOT cache: none in target/quarkus-app (mvn verify makes it), not checked"
fi

systemd/uninstall.sh --root "$root" >/dev/null
[[ ! -e "$root/opt/edgewatch" && ! -e "$root/etc/systemd/system/edgewatch.service" && -f "$root/etc/edgewatch/application.properties" ]] \
  || { echo "check.sh: uninstall.sh left the application or removed the configuration" >&2; exit 1; }
echo "systemd packaging: OK"
