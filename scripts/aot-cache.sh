#!/usr/bin/env bash
# Makes the JDK 25 AOT cache (JEP 483/514/515) of a packaged agent: APP_DIR/app.aot beside APP_DIR/quarkus-run.jar,
# which the launcher (systemd/edgewatch) passes to the JVM when present (README "Footprint").
#
# Usage: scripts/aot-cache.sh [APP_DIR]     (default target/quarkus-app)
#
# The classes the agent loads and links are taken from APP_DIR/app.aotconf, recorded by Quarkus while the packaged
# jar's integration tests run (quarkus.package.jar.aot.enabled, `mvn verify`; Maven calls this script after them).
# Without a recording (a `package -DskipTests` build, another architecture) the script records one itself: a
# training run of the agent on the first 60 frames of media-cache/vtest.avi (models under models-tflite/files).
# The cache is then created with the flags the launcher uses at run time (native access, serial collector) and
# the jar's absolute path; the recording is deleted (71 MB, not needed at run time).
#
# The cache is only valid for the JVM build that made it and for the jar files with their modification times:
# copy the folder with `cp -a` (systemd/install.sh does). A JVM that finds it stale ignores it and starts slower;
# the agent logs at start whether the cache is in use, and `doctor` reports it.
# Environment: JAVA_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64), or EDGEWATCH_JAVA naming the java to use
# (it must be the java that runs the agent later).
# Exit: 0 with the cache written, 1 when recording or creating fails (the JVM's message is printed), 2 usage.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app=""
for a in "$@"; do
  case "$a" in
    -h|--help) usage; exit 0 ;;
    -*) echo "aot-cache.sh: unknown option '$a'" >&2; usage >&2; exit 2 ;;
    *) [[ -z $app ]] || { echo "aot-cache.sh: one APP_DIR only" >&2; usage >&2; exit 2; }; app="$a" ;;
  esac
done
app="${app:-$root/target/quarkus-app}"
[[ -f $app/quarkus-run.jar ]] || { echo "aot-cache.sh: $app/quarkus-run.jar missing (run mvn package)" >&2; exit 1; }
app="$(cd "$app" && pwd)"
java="${EDGEWATCH_JAVA:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java}"
[[ -x $java ]] || { echo "aot-cache.sh: $java not found (set JAVA_HOME or EDGEWATCH_JAVA)" >&2; exit 1; }
# The same flags as systemd/edgewatch: a cache made with other flags (collector, native access) is not used.
flags=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:+DisplayVMOutputToStderr -Xlog:disable
  -Xlog:all=warning:stderr)
conf="$app/app.aotconf"
t0=$(date +%s%N)
if [[ ! -s $conf ]]; then
  video="$root/media-cache/vtest.avi"
  [[ -f $video ]] || { echo "aot-cache.sh: no recording in $conf and no $video for a training run (scripts/fetch-media.sh)" >&2; exit 1; }
  echo "aot-cache.sh: no recording from the integration tests; training run on 60 frames of $video" >&2
  (cd "$root" && MALLOC_ARENA_MAX=2 "$java" "${flags[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$conf" \
    -jar "$app/quarkus-run.jar" run --source "$video" --max-frames 60 > /dev/null 2> "$app/aot-record.log") \
    || { tail -20 "$app/aot-record.log" >&2; echo "aot-cache.sh: training run failed" >&2; exit 1; }
  rm -f "$app/aot-record.log"
fi
rm -f "$app/app.aot"
if ! "$java" "${flags[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$conf" -XX:AOTCache="$app/app.aot" \
    -jar "$app/quarkus-run.jar" > "$app/aot-create.log" 2>&1; then
  tail -20 "$app/aot-create.log" >&2; echo "aot-cache.sh: creating $app/app.aot failed" >&2; exit 1
fi
rm -f "$conf" "$app/aot-create.log"
echo "aot-cache.sh: $app/app.aot ($(du -m "$app/app.aot" | cut -f1) MB) for Java $("$java" -XshowSettings:properties \
  -version 2>&1 | awk -F'= ' '/java.vm.version/ {print $2}') in $(( ($(date +%s%N) - t0) / 1000000 )) ms" >&2
