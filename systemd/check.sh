#!/usr/bin/env bash
# CI check of the systemd packaging (run by .ci/run after `mvn package`):
#  1. install.sh --root into a temporary folder (the layout an installer gets),
#  2. systemd-analyze verify on the installed unit (paths rewritten into the temporary root, so the launcher it
#     names exists and is executable), which must print nothing,
#  3. systemd-analyze security --offline=true --threshold=20: exposure must be 2.0 or lower,
#  4. the installed launcher runs `doctor` on the installed models (sha256) and vtest.avi,
#  5. uninstall.sh --root removes the application and keeps configuration and state.
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
JAVA_OPTS="-Dquarkus.http.port=0 -Dedgewatch.http.token-file=$root/etc/edgewatch/credentials/http-token -Dedgewatch.detector.manifest=$root/opt/edgewatch/models-tflite/ssd-mobilenet-v2-coco.manifest.json -Dedgewatch.cameras.cam1.source=$src/media-cache/vtest.avi -Dedgewatch.doctor.state-dirs=$state -Dedgewatch.doctor.min-free-mb=1" \
  "$root/opt/edgewatch/bin/edgewatch" doctor 2>"$tmp/doctor.err" | tee "$tmp/doctor.out"
grep -q '^PASSED' "$tmp/doctor.out" || { cat "$tmp/doctor.err" >&2; echo "check.sh: doctor on the installed layout failed" >&2; exit 1; }
grep -q '\[OK  \] http access' "$tmp/doctor.out" || { echo "check.sh: doctor does not accept the installed HTTP token" >&2; exit 1; }

systemd/uninstall.sh --root "$root" >/dev/null
[[ ! -e "$root/opt/edgewatch" && ! -e "$root/etc/systemd/system/edgewatch.service" && -f "$root/etc/edgewatch/application.properties" ]] \
  || { echo "check.sh: uninstall.sh left the application or removed the configuration" >&2; exit 1; }
echo "systemd packaging: OK"
