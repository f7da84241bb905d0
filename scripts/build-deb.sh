#!/usr/bin/env bash
# Builds the Debian package target/deb/edgewatch_<version>_<arch>.deb with dpkg-deb (no Maven plugin, no debhelper):
# the files are staged by `systemd/install.sh --stage`, so the package has exactly install.sh's layout:
#   /opt/edgewatch/{bin/edgewatch, lib/jit-startup.json, quarkus-app/ (with app.aot when the build made one),
#                  models-tflite/, README.md}
#   /etc/edgewatch/application.properties      conffile (systemd/application.properties.example)
#   /usr/lib/systemd/system/edgewatch.service  /usr/bin/edgewatch -> /opt/edgewatch/bin/edgewatch
#   /usr/share/doc/edgewatch/{copyright,changelog.gz}, /usr/share/man/man1/edgewatch.1.gz, lintian overrides
# The maintainer scripts are systemd/deb/{postinst,prerm,postrm}; the postinst gets systemd/provision.sh (user, state
# folder, credentials: the same code install.sh runs) copied in at its `# @provision@` line.
#
# Usage: scripts/build-deb.sh [--arch amd64|arm64] [--version V] [--app DIR] [--build] [--out DIR]
#   --arch     amd64 (default: the application in target/quarkus-app, linux-x86_64 natives) or arm64
#              (target/arm64/quarkus-app, built by `mvn -Parm64 -DskipTests package`, linux-arm64 natives)
#   --version  Debian version (default: the pom's, -SNAPSHOT written ~SNAPSHOT so that the release sorts after it)
#   --app DIR  another quarkus-app folder of the same architecture
#   --build    run the Maven build for the architecture first (mvn -B -ntp -q [-Parm64] -DskipTests package)
#   --out DIR  output folder (default target/deb)
# Prints the package's path. The natives of the other architecture in the application stop the build.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$src"
arch=amd64; version=""; app=""; build=0; out="$src/target/deb"
while (( $# )); do
  case "$1" in
    --arch) arch="$2"; shift 2;;
    --version) version="$2"; shift 2;;
    --app) app="$2"; shift 2;;
    --build) build=1; shift;;
    --out) out="$2"; shift 2;;
    -h|--help) sed -n '2,/^set -/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0;;
    *) echo "build-deb.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
die() { echo "build-deb.sh: $*" >&2; exit 1; }
command -v dpkg-deb >/dev/null || die "dpkg-deb not found"
case "$arch" in
  amd64) platform=linux-x86_64; other=linux-arm64; profile=(); app="${app:-target/quarkus-app}";;
  arm64) platform=linux-arm64; other=linux-x86_64; profile=(-Parm64); app="${app:-target/arm64/quarkus-app}";;
  *) die "--arch must be amd64 or arm64, not '$arch'";;
esac
if (( build )); then mvn -B -ntp -q "${profile[@]}" -DskipTests package || die "Maven build failed"; fi
[[ -f "$app/quarkus-run.jar" ]] || die "$app/quarkus-run.jar not found: run mvn -B -ntp ${profile[*]} -DskipTests package (or give --build)"
# the Bytedeco natives decide the architecture (JavaCPP loads the ones of javacpp.platform)
ls "$app"/lib/main/ | grep -q "^org\.bytedeco\.ffmpeg-.*-$platform\.jar$" || die "$app has no $platform FFmpeg natives: not an $arch build"
! ls "$app"/lib/main/ | grep -q "^org\.bytedeco\..*-$other\.jar$" || die "$app carries $other Bytedeco natives: not an $arch build"
if [[ -z "$version" ]]; then
  version="$(python3 -c 'import sys,xml.etree.ElementTree as E; r=E.parse("pom.xml").getroot(); print(r.find("{http://maven.apache.org/POM/4.0.0}version").text)')"
  version="${version/-SNAPSHOT/~SNAPSHOT}"
fi
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || die "'$version' is not a Debian native version (digits first; letters, digits, . + ~)"

stage="$(mktemp -d)"; trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"
systemd/install.sh --stage "$stage" --app "$app" >/dev/null
install -d -m 0755 "$stage/usr/bin" "$stage/usr/share/doc/edgewatch" "$stage/usr/share/man/man1" "$stage/usr/share/lintian/overrides" "$stage/DEBIAN"
# absolute: Policy 10.5 wants links between top-level folders absolute
ln -s /opt/edgewatch/bin/edgewatch "$stage/usr/bin/edgewatch"
install -m 0644 systemd/deb/copyright "$stage/usr/share/doc/edgewatch/copyright"
gzip -9n < systemd/deb/edgewatch.1 > "$stage/usr/share/man/man1/edgewatch.1.gz"
install -m 0644 systemd/deb/lintian-overrides "$stage/usr/share/lintian/overrides/edgewatch"
maintainer="edgewatch maintainers <maintainers@users.noreply.r-seed-516455b3.example>"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
{ printf 'edgewatch (%s) unstable; urgency=medium\n\n' "$version"
  printf '  * Built by scripts/build-deb.sh from commit %s%s.\n\n' "$commit" "$(git diff --quiet HEAD 2>/dev/null || echo ' with local changes')"
  printf ' -- %s  %s\n' "$maintainer" "$(git log -1 --format=%aD 2>/dev/null || date -R)"
} | gzip -9n > "$stage/usr/share/doc/edgewatch/changelog.gz"
chmod 0644 "$stage/usr/share/doc/edgewatch/changelog.gz" "$stage/usr/share/man/man1/edgewatch.1.gz"

# maintainer scripts: the postinst with provision.sh in place of its marker line
sed -e '/^# @provision@/{r systemd/provision.sh' -e 'd}' systemd/deb/postinst > "$stage/DEBIAN/postinst"
install -m 0755 systemd/deb/prerm systemd/deb/postrm "$stage/DEBIAN/"
chmod 0755 "$stage/DEBIAN/postinst"
echo /etc/edgewatch/application.properties > "$stage/DEBIAN/conffiles"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/conffiles" "$stage/DEBIAN/md5sums"
installed_kb="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
# Depends: a Java 25 runtime (Debian's openjdk-25-jre-headless provides java-runtime-headless (= 25); Adoptium's
# Temurin packages by name) and the system libraries the bundled FFmpeg natives link against and do not carry
# (readelf -d: libavdevice needs libasound, libpulse, libxcb, libxcb-shm; libavutil/libavcodec libva, libva-drm,
# libdrm); libasound2 is provided by trixie's libasound2t64. passwd: useradd in the postinst.
cat > "$stage/DEBIAN/control" <<EOF
Package: edgewatch
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_kb
Depends: openjdk-25-jre-headless | temurin-25-jre | temurin-25-jdk | java-runtime-headless (>= 25), libasound2, libpulse0, libxcb1, libxcb-shm0, libva2, libva-drm2, libdrm2, libc6, libstdc++6, libgcc-s1, passwd
Section: video
Priority: optional
Description: on-device video analytics agent with metadata-only MQTT events
 edgewatch decodes camera streams (RTSP, files, V4L2), detects people with
 TensorFlow Lite, tracks them, applies zones and counting lines, and publishes
 only metadata events (no images) over MQTT v5 with store and forward.
 .
 The package installs the application with its models in /opt/edgewatch, the
 systemd unit edgewatch.service (neither enabled nor started on a first
 install), the configuration /etc/edgewatch/application.properties and, once
 per device, the credentials in /etc/edgewatch/credentials. The doctor
 command checks an installation.
EOF
mkdir -p "$out"
deb="$out/edgewatch_${version}_${arch}.deb"
# gzip: the jars and models are already compressed; xz -1 made the amd64 package 0.2 % smaller (122.5 against
# 122.8 MB) in 2 min instead of 15 s on this 2-core machine
dpkg-deb --root-owner-group -Zgzip -z6 --build "$stage" "$deb" >/dev/null
echo "$deb"
