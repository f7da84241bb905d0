#!/usr/bin/env bash
# Installs edgewatch as a systemd service on a Debian-like device (run as root):
#   /opt/edgewatch/{bin/edgewatch, quarkus-app/ or edgewatch-runner, models-tflite/}    application and models
#   /etc/edgewatch/application.properties, /etc/edgewatch/credentials/{mqtt-password,gallery-key,http-token}   configuration
#   /var/lib/edgewatch                                                                   state (made by systemd)
#   /etc/systemd/system/edgewatch.service                                                the unit
# Usage: systemd/install.sh [--app target/quarkus-app | --native target/edgewatch-runner] [--mqtt-password-file F]
#                           [--root DIR] [--no-start]
#   --root DIR   install into DIR instead of / (image building, CI); creates no user and starts nothing
# An existing configuration and existing credentials are kept. Run it from the project folder after
# `mvn package` (and models-tflite/fetch.sh), or from an unpacked release that has the same layout.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app="$src/target/quarkus-app"; native=""; root=""; start=1; mqtt_password_file=""
while (( $# )); do
  case "$1" in
    --app) app="$2"; shift 2;;
    --native) native="$2"; shift 2;;
    --mqtt-password-file) mqtt_password_file="$2"; shift 2;;
    --root) root="${2%/}"; start=0; shift 2;;
    --no-start) start=0; shift;;
    -h|--help) sed -n '2,12p' "$0"; exit 0;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
die() { echo "install.sh: $*" >&2; exit 1; }
[[ -z "$root" && $(id -u) -ne 0 ]] && die "run as root (or give --root DIR)"
if [[ -n "$native" ]]; then [[ -x "$native" ]] || die "native executable $native not found"
else [[ -f "$app/quarkus-run.jar" ]] || die "$app/quarkus-run.jar not found: run mvn package first, or give --app DIR"; fi
ls "$src"/models-tflite/*.manifest.json >/dev/null 2>&1 || die "no model manifests in $src/models-tflite"
[[ -f "$src/models-tflite/files/mobilenet_ssd_v2_coco_quant_postprocess.tflite" ]] || die "models missing: run models-tflite/fetch.sh"

opt="$root/opt/edgewatch"; etc="$root/etc/edgewatch"; unit_dir="$root/etc/systemd/system"
if [[ -z "$root" ]] && ! id edgewatch >/dev/null 2>&1; then
  groups=""; for g in video render; do getent group "$g" >/dev/null && groups="${groups:+$groups,}$g"; done
  useradd --system --no-create-home --home-dir /var/lib/edgewatch --shell /usr/sbin/nologin ${groups:+--groups "$groups"} edgewatch
  echo "created system user edgewatch${groups:+ (groups $groups)}"
fi
install -d -m 0755 "$opt/bin" "$opt/models-tflite/files" "$unit_dir"
rm -rf "$opt/quarkus-app" "$opt/edgewatch-runner"
if [[ -n "$native" ]]; then install -m 0755 "$native" "$opt/edgewatch-runner"
else cp -a "$app" "$opt/quarkus-app"; fi  # -a: the AOT cache is only valid for jars with their mtimes
install -m 0755 "$src/systemd/edgewatch" "$opt/bin/edgewatch"
install -m 0644 "$src"/models-tflite/*.manifest.json "$opt/models-tflite/"
install -m 0644 "$src"/models-tflite/files/* "$opt/models-tflite/files/"
[[ -f "$src/README.md" ]] && install -m 0644 "$src/README.md" "$opt/README.md"
install -d -m 0750 "$etc"
install -d -m 0700 "$etc/credentials"
[[ -f "$etc/application.properties" ]] || install -m 0640 "$src/systemd/application.properties.example" "$etc/application.properties"
if [[ -n "$mqtt_password_file" ]]; then install -m 0600 "$mqtt_password_file" "$etc/credentials/mqtt-password"
elif [[ ! -f "$etc/credentials/mqtt-password" ]]; then install -m 0600 /dev/null "$etc/credentials/mqtt-password"; fi
# 256-bit key for the face gallery at rest; generated once on the device, never leaves it
[[ -f "$etc/credentials/gallery-key" ]] || (umask 077; head -c 32 /dev/urandom | base64 > "$etc/credentials/gallery-key")
# access token for health details and metrics (Authorization: Bearer, README "Security"); generated once, never replaced
if [[ ! -f "$etc/credentials/http-token" ]]; then
  (umask 077; head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' > "$etc/credentials/http-token")
  echo "created the access token $etc/credentials/http-token (health details and metrics: curl -H \"Authorization: Bearer \$(sudo cat $etc/credentials/http-token)\" http://127.0.0.1:9000/q/health)"
fi
install -m 0644 "$src/systemd/edgewatch.service" "$unit_dir/edgewatch.service"
if [[ -z "$root" ]]; then chgrp edgewatch "$etc" "$etc/application.properties"; fi
echo "installed edgewatch into ${root:-/} (unit $unit_dir/edgewatch.service)"
if (( start )) && [[ -d /run/systemd/system ]]; then
  systemctl daemon-reload
  systemctl enable --now edgewatch.service
  echo "started; check with: systemctl status edgewatch; sudo -u edgewatch /opt/edgewatch/bin/edgewatch doctor"
else
  echo "not started (edit $etc/application.properties, then: systemctl daemon-reload && systemctl enable --now edgewatch)"
fi
