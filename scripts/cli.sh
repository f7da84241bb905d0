# Sourced by the scripts in this folder: `usage` prints the calling script's header comment (its lines from the
# second up to `set -euo pipefail`); `no_arguments "$@"` answers -h/--help with it and refuses any argument (exit 2).
usage() { sed -n '2,/^set -/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; }
no_arguments() {
  for a in "$@"; do
    case "$a" in
      -h|--help) usage; exit 0 ;;
      *) echo "$(basename "$0"): unknown argument '$a' (it takes none; settings come from the environment)" >&2; usage >&2; exit 2 ;;
    esac
  done
}
