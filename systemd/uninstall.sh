#!/usr/bin/env bash
# Removes the edgewatch service and application (/opt/edgewatch, the unit). Configuration (/etc/edgewatch) and
# state (/var/lib/edgewatch: spool, gallery, audit) are kept unless --purge is given, which also deletes the
# edgewatch user. Usage: systemd/uninstall.sh [--purge] [--root DIR]
set -euo pipefail
purge=0; root=""
while (( $# )); do
  case "$1" in
    --purge) purge=1; shift;;
    --root) root="${2%/}"; shift 2;;
    *) echo "uninstall.sh: unknown option $1" >&2; exit 2;;
  esac
done
[[ -z "$root" && $(id -u) -ne 0 ]] && { echo "uninstall.sh: run as root (or give --root DIR)" >&2; exit 1; }
if [[ -z "$root" && -d /run/systemd/system ]]; then
  systemctl disable --now edgewatch.service 2>/dev/null || true
fi
rm -f "$root/etc/systemd/system/edgewatch.service"
rm -rf "$root/opt/edgewatch"
[[ -z "$root" && -d /run/systemd/system ]] && systemctl daemon-reload
if (( purge )); then
  rm -rf "$root/etc/edgewatch" "$root/var/lib/edgewatch" "$root/var/lib/private/edgewatch" "$root/var/log/edgewatch"
  [[ -z "$root" ]] && id edgewatch >/dev/null 2>&1 && userdel edgewatch
  echo "edgewatch removed with its configuration and state"
else
  echo "edgewatch removed; kept ${root}/etc/edgewatch and ${root}/var/lib/edgewatch (use --purge to delete them)"
fi
