#!/usr/bin/env bash
# Fetches the test media that Debian packages ship, pinned by package version and sha256, into
# media-cache/ (git-ignored): vtest.avi (opencv-doc) and astronaut.png (python3-skimage).
# The package is downloaded with `apt-get download` and unpacked with `dpkg-deb -x`; nothing is installed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
no_arguments "$@"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${EDGEWATCH_MEDIA_OUT:-$root/media-cache}"
mkdir -p "$out"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
# file | debian package=version | path inside the package | sha256
table='vtest.avi|opencv-doc=4.6.0+dfsg-12|usr/share/doc/opencv-doc/examples/data/vtest.avi|45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf
astronaut.png|python3-skimage=0.19.3-8|usr/lib/python3/dist-packages/skimage/data/astronaut.png|88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5'
status=0
while IFS='|' read -r file pkg path sha; do
  dest="$out/$file"
  if [[ -f "$dest" ]] && echo "$sha  $dest" | sha256sum -c --status; then echo "ok      $file (already present)"; continue; fi
  # The installed package, if any, is used as it is; otherwise download the .deb.
  if [[ -f "/$path" ]] && echo "$sha  /$path" | sha256sum -c --status; then cp "/$path" "$dest"; echo "copied  $file from /$path"; continue; fi
  (cd "$work" && apt-get download -q "$pkg" >/dev/null 2>&1) || (apt-get update -qq && cd "$work" && apt-get download -q "$pkg" >/dev/null)
  deb="$(ls "$work"/"${pkg%%=*}"_*.deb | head -1)"
  mkdir -p "$work/x"; dpkg-deb -x "$deb" "$work/x"
  found="$work/x/$path"
  [[ -f "$found" ]] || { found="$(find "$work/x" -name "$file" | head -1)"; }
  [[ -n "$found" && -f "$found" ]] || { echo "MISSING $file in $pkg" >&2; status=1; continue; }
  got="$(sha256sum "$found" | cut -d' ' -f1)"
  [[ "$got" == "$sha" ]] || { echo "BAD     $file from $pkg: sha256 $got, expected $sha" >&2; status=1; continue; }
  cp "$found" "$dest"; echo "fetched $file ($pkg, sha256 ok)"
done <<< "$table"
exit $status
