#!/usr/bin/env bash
# Installs edgewatch as a systemd service on a Debian-like device (run as root):
#   /opt/edgewatch/{bin/edgewatch, lib/jit-startup.json, quarkus-app/ or edgewatch-runner, models-tflite/}   application and models
#   /etc/edgewatch/application.properties, /etc/edgewatch/credentials/{mqtt-password,gallery-key,http-token}   configuration
#   /var/lib/edgewatch                                                                   state (made by systemd)
#   /etc/systemd/system/edgewatch.service                                                the unit
# Usage: systemd/install.sh [--app target/quarkus-app | --native target/edgewatch-runner] [--mqtt-password-file F]
#                           [--root DIR | --stage DIR] [--no-start]
#   --root DIR   install into DIR instead of / (image building, CI); creates no user and starts nothing
#   --stage DIR  only the files a Debian package ships, into DIR (scripts/build-deb.sh): the application, launcher,
#                models and README as above, the configuration example as etc/edgewatch/application.properties and
#                the unit in usr/lib/systemd/system; no credentials, no user (the package's postinst makes them)
# An existing configuration and existing credentials are kept. Run it from the project folder after
# `mvn package` (and models-tflite/fetch.sh), or from an unpacked release that has the same layout.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app="$src/target/quarkus-app"; native=""; root=""; start=1; mqtt_password_file=""; stage=0
while (( $# )); do
  case "$1" in
    --app) app="$2"; shift 2;;
    --native) native="$2"; shift 2;;
    --mqtt-password-file) mqtt_password_file="$2"; shift 2;;
    --root) root="${2%/}"; start=0; shift 2;;
    --stage) root="${2%/}"; start=0; stage=1; shift 2;;
    --no-start) start=0; shift;;
    -h|--help) sed -n '2,15p' "$0"; exit 0;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
die() { echo "install.sh: $*" >&2; exit 1; }
[[ -z "$root" && $(id -u) -ne 0 ]] && die "run as root (or give --root DIR)"
if [[ -n "$native" ]]; then [[ -x "$native" ]] || die "native executable $native not found"
else [[ -f "$app/quarkus-run.jar" ]] || die "$app/quarkus-run.jar not found: run mvn package first, or give --app DIR"; fi
ls "$src"/models-tflite/*.manifest.json >/dev/null 2>&1 || die "no model manifests in $src/models-tflite"
[[ -f "$src/models-tflite/files/mobilenet_ssd_v2_coco_quant_postprocess.tflite" ]] || die "models missing: run models-tflite/fetch.sh"

# shellcheck source=systemd/provision.sh
. "$src/systemd/provision.sh"
opt="$root/opt/edgewatch"; etc="$root/etc/edgewatch"; unit_dir="$root/etc/systemd/system"
# a package's unit lives in the vendor folder; /etc/systemd/system is the administrator's
(( stage )) && unit_dir="$root/usr/lib/systemd/system"
[[ -z "$root" ]] && edgewatch_user
install -d -m 0755 "$opt/bin" "$opt/models-tflite/files" "$unit_dir"
rm -rf "$opt/quarkus-app" "$opt/edgewatch-runner"
if [[ -n "$native" ]]; then install -m 0755 "$native" "$opt/edgewatch-runner"
# timestamps kept: the JVM refuses an AOT cache (quarkus-app/app.aot) whose jars' modification times changed
else cp -r --preserve=timestamps "$app" "$opt/quarkus-app"; fi
install -m 0755 "$src/systemd/edgewatch" "$opt/bin/edgewatch"
install -d -m 0755 "$opt/lib" && install -m 0644 "$src/systemd/jit-startup.json" "$opt/lib/jit-startup.json"
install -m 0644 "$src"/models-tflite/*.manifest.json "$opt/models-tflite/"
install -m 0644 "$src"/models-tflite/files/* "$opt/models-tflite/files/"
[[ -f "$src/README.md" ]] && install -m 0644 "$src/README.md" "$opt/README.md"
if (( stage )); then
  # modes as Debian expects; the postinst narrows /etc/edgewatch and the file to root:edgewatch 0750/0640 (dpkg-statoverride)
  install -d -m 0755 "$etc"
  install -m 0644 "$src/systemd/application.properties.example" "$etc/application.properties"
else
  install -d -m 0750 "$etc"
  [[ -f "$etc/application.properties" ]] || install -m 0640 "$src/systemd/application.properties.example" "$etc/application.properties"
  [[ -n "$mqtt_password_file" ]] && install -d -m 0700 "$etc/credentials" && install -m 0600 "$mqtt_password_file" "$etc/credentials/mqtt-password"
  edgewatch_credentials "$etc"
fi
install -m 0644 "$src/systemd/edgewatch.service" "$unit_dir/edgewatch.service"
if [[ -z "$root" ]]; then chgrp edgewatch "$etc" "$etc/application.properties"; fi
echo "installed edgewatch into ${root:-/} (unit $unit_dir/edgewatch.service)"
(( stage )) && exit 0
if (( start )) && [[ -d /run/systemd/system ]]; then
  systemctl daemon-reload
  systemctl enable --now edgewatch.service
  echo "started; check with: systemctl status edgewatch; sudo -u edgewatch /opt/edgewatch/bin/edgewatch doctor"
else
  echo "not started (edit $etc/application.properties, then: systemctl daemon-reload && systemctl enable --now edgewatch)"
fi
