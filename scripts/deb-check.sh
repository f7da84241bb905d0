#!/usr/bin/env bash
# CI check of the Debian package (run by .ci/run after systemd/check.sh and scripts/arm64-smoke.sh; needs root, dpkg,
# lintian and the x86 build in target/quarkus-app). On this machine, for real:
#  1. builds the amd64 package twice with scripts/build-deb.sh: the pom's version and that version +1,
#  2. lintian --pedantic: any error, warning, info or pedantic tag not overridden (with its reason) fails,
#  3. dpkg -i: user, state folder, permissions, credentials made once, /usr/bin/edgewatch, file mtimes kept,
#  4. `edgewatch doctor` from the installed layout as the service runs it: user edgewatch, working directory
#     /opt/edgewatch, the installed /etc/edgewatch/application.properties and models, the HTTP token handed over as
#     systemd's LoadCredential= would (a 0600 copy owned by the user); only the camera source (vtest.avi) and the
#     broker (none here) are overridden,
#  5. an operator's edit of the conffile, then dpkg -i of version +1: the edit, the token and the gallery key kept,
#  6. dpkg --purge: nothing named edgewatch left under /etc /opt /usr /var except the system user (README
#     "Debian package"), no stat override left,
#  7. when the arm64 build exists (target/arm64/quarkus-app, made by scripts/arm64-smoke.sh before this check in
#     .ci/run), builds the arm64 package too and runs lintian on it; it is not installed (not this machine's
#     architecture; arm64-smoke.sh runs the same quarkus-app folder under qemu).
# Cleans up on any exit (trap): purges what it installed and deletes the user when it made it, so the machine is left
# as it was. Refuses to run where an edgewatch package is already installed.
#
# Java: the package depends on openjdk-25-jre-headless | temurin-25-jre | temurin-25-jdk | java-runtime-headless
# (>= 25). When none is installed as a package (this CI machine has Temurin 25 unpacked from a tarball in
# /usr/lib/jvm/temurin-25-jdk-amd64), the check first verifies that JDK reports version 25 and installs a stand-in
# package `edgewatch-ci-java25` that provides java-runtime-headless (= 25) for it (what equivs would make), so the
# dependency is checked by dpkg as declared, without --force-depends; it is purged at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
no_arguments "$@"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$src"
die() { echo "deb-check: $*" >&2; exit 1; }
t_start=$(date +%s)
step() { echo "deb-check: [$(( $(date +%s) - t_start )) s] $*"; }
[[ $(id -u) -eq 0 ]] || die "run as root (it installs the package on this machine)"
for tool in dpkg dpkg-deb lintian runuser; do command -v "$tool" >/dev/null || die "$tool not found (apt-get install lintian; .ci/run does it)"; done
[[ -f target/quarkus-app/quarkus-run.jar ]] || die "target/quarkus-app missing: run mvn -B -ntp -DskipTests package"
[[ -f media-cache/vtest.avi ]] || die "media-cache/vtest.avi missing: run scripts/fetch-media.sh"
installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }
if dpkg-query -W edgewatch >/dev/null 2>&1; then die "an edgewatch package is already on this machine (dpkg -l edgewatch); not touching it"; fi

tmp="$(mktemp -d)"; chmod 0711 "$tmp"
user_existed=0; id edgewatch >/dev/null 2>&1 && user_existed=1
stand_in=0
cleanup() {
  set +e
  dpkg-query -W edgewatch >/dev/null 2>&1 && dpkg --purge edgewatch >/dev/null
  (( stand_in )) && dpkg --purge edgewatch-ci-java25 >/dev/null
  if (( ! user_existed )) && id edgewatch >/dev/null 2>&1; then
    userdel edgewatch; getent group edgewatch >/dev/null && groupdel edgewatch
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
# every path named edgewatch outside the work folders, before the install and after the purge
edgewatch_paths() { find /etc /opt /usr /var -xdev \( -path /var/tmp -o -path /var/cache -o -path /var/lib/dpkg \) -prune -o -name '*edgewatch*' -print 2>/dev/null | LC_ALL=C sort; }
edgewatch_paths > "$tmp/paths-before"

# --- 1. two builds --------------------------------------------------------------------------------------------
v1_deb="$(scripts/build-deb.sh --out "$tmp/deb")"
v1="$(dpkg-deb -f "$v1_deb" Version)"
v2="$v1+1"
dpkg --compare-versions "$v2" gt "$v1" || die "$v2 does not sort after $v1"
v2_deb="$(scripts/build-deb.sh --version "$v2" --out "$tmp/deb")"
step "built $(basename "$v1_deb") ($(( $(stat -c %s "$v1_deb") / 1000000 )) MB, installed $(( $(dpkg-deb -f "$v1_deb" Installed-Size) / 1024 )) MiB) and $(basename "$v2_deb")"

# --- 2. lintian ---------------------------------------------------------------------------------------------------
# one run shows the tags left (E W I P X) and the overridden ones (O); lintian 2.116 exits 2 with --show-overrides
# even when no tag is left, so the output decides
lintian --pedantic --display-info --show-overrides "$v1_deb" > "$tmp/lintian.out" 2>&1 || true
overridden="$(grep -c '^O:' "$tmp/lintian.out" || true)"
! grep -E '^[EWIPX]:' "$tmp/lintian.out" >&2 || die "lintian found tags that are not overridden"
(( overridden > 0 )) || { cat "$tmp/lintian.out" >&2; die "lintian did not run (no overridden tag reported)"; }
step "lintian --pedantic: no tag left; $overridden overridden (systemd/deb/lintian-overrides, README \"Debian package\")"

# --- 3. install ---------------------------------------------------------------------------------------------------
if ! installed openjdk-25-jre-headless && ! installed temurin-25-jre && ! installed temurin-25-jdk; then
  jdk=/usr/lib/jvm/temurin-25-jdk-amd64
  "$jdk/bin/java" -version 2>&1 | grep -q 'version "25' || die "no Java 25 package and no Java 25 at $jdk: nothing can satisfy the package's Java dependency"
  mkdir -p "$tmp/stand-in/DEBIAN"
  cat > "$tmp/stand-in/DEBIAN/control" <<EOF
Package: edgewatch-ci-java25
Version: 25
Architecture: all
Maintainer: edgewatch maintainers <maintainers@users.noreply.r-seed-516455b3.example>
Provides: java-runtime-headless (= 25)
Description: stand-in for the Java 25 runtime unpacked from a tarball at $jdk
 Made, installed and purged by scripts/deb-check.sh of edgewatch.
EOF
  dpkg-deb --root-owner-group --build "$tmp/stand-in" "$tmp/stand-in.deb" >/dev/null
  dpkg -i "$tmp/stand-in.deb" >/dev/null; stand_in=1
  step "no Java 25 package here: installed the stand-in edgewatch-ci-java25 (Provides: java-runtime-headless (= 25)) for $jdk"
fi
dpkg -i "$v1_deb" > "$tmp/install.out" 2>&1 < /dev/null || { cat "$tmp/install.out" >&2; die "dpkg -i $v1_deb failed"; }
installed edgewatch || die "edgewatch is not 'install ok installed' after dpkg -i"
mode() { stat -c '%a %U:%G' "$1"; }
[[ "$(mode /etc/edgewatch)" == "750 root:edgewatch" ]] || die "/etc/edgewatch is $(mode /etc/edgewatch), expected 750 root:edgewatch"
[[ "$(mode /etc/edgewatch/application.properties)" == "640 root:edgewatch" ]] || die "application.properties is $(mode /etc/edgewatch/application.properties)"
[[ "$(mode /etc/edgewatch/credentials)" == "700 root:root" ]] || die "credentials folder is $(mode /etc/edgewatch/credentials)"
for f in mqtt-password gallery-key http-token; do
  [[ "$(mode "/etc/edgewatch/credentials/$f")" == "600 root:root" ]] || die "credentials/$f is $(mode "/etc/edgewatch/credentials/$f")"
done
[[ "$(mode /var/lib/edgewatch)" == "750 edgewatch:edgewatch" ]] || die "/var/lib/edgewatch is $(mode /var/lib/edgewatch)"
token="$(cat /etc/edgewatch/credentials/http-token)"; key="$(cat /etc/edgewatch/credentials/gallery-key)"
[[ "$token" =~ ^[0-9a-f]{64}$ ]] || die "HTTP token is not 64 hex digits"
[[ "$(base64 -d <<< "$key" | wc -c)" == 32 ]] || die "gallery key is not 32 bytes of base64"
[[ "$(readlink /usr/bin/edgewatch)" == /opt/edgewatch/bin/edgewatch && -f /usr/lib/systemd/system/edgewatch.service ]] || die "launcher link or unit missing"
grep -qx /etc/edgewatch/application.properties /var/lib/dpkg/info/edgewatch.conffiles || die "application.properties is not a conffile"
# the AOT cache (when the build made one) is valid only with the jars' modification times of the build
mtimes() { (cd "$1" && find . -type f -printf '%P %TY%Tm%Td%TH%TM%TS\n' | sed 's/\.[0-9]*$//' | LC_ALL=C sort); }
diff <(mtimes target/quarkus-app) <(mtimes /opt/edgewatch/quarkus-app) > "$tmp/mtimes.diff" \
  || { head "$tmp/mtimes.diff" >&2; die "installed quarkus-app differs from target/quarkus-app in files or modification times"; }
step "dpkg -i $v1: user, permissions, credentials, conffile, launcher link, quarkus-app files and mtimes as built"

# --- 4. doctor from the installed layout, as the service runs it --------------------------------------------------
cred="$tmp/credentials"; install -d -o edgewatch -g edgewatch -m 0700 "$cred"
install -o edgewatch -g edgewatch -m 0600 /etc/edgewatch/credentials/http-token "$cred/http-token"
(cd /opt/edgewatch && runuser -u edgewatch -- env -i PATH=/usr/bin:/bin HOME=/var/lib/edgewatch STATE_DIRECTORY=/var/lib/edgewatch \
    QUARKUS_CONFIG_LOCATIONS=/etc/edgewatch/application.properties \
    EDGEWATCH_DETECTOR_MANIFEST=/opt/edgewatch/models-tflite/ssd-mobilenet-v2-coco.manifest.json \
    JAVA_OPTS="-XX:+UseSerialGC -Xmx256m -Dedgewatch.cameras.front.source=$src/media-cache/vtest.avi -Dedgewatch.mqtt.url= -Dedgewatch.http.token-file=$cred/http-token -Dedgewatch.doctor.min-free-mb=1" \
    edgewatch doctor) > "$tmp/doctor.out" 2> "$tmp/doctor.err" || true
sed 's/^/  /' "$tmp/doctor.out"
grep -q '^PASSED' "$tmp/doctor.out" || { tail -20 "$tmp/doctor.err" >&2; die "doctor on the installed package failed"; }
for c in 'model ssd-mobilenet-v2-coco' 'camera front' 'state folder /var/lib/edgewatch' 'http access'; do
  grep -Eq "^ *\[OK  \] $c" "$tmp/doctor.out" || die "doctor: '$c' is not OK"
done
step "edgewatch doctor as user edgewatch on the installed configuration, models and token: PASSED"

# --- 5. operator's edit, upgrade -----------------------------------------------------------------------------------
conf=/etc/edgewatch/application.properties
grep -q '^edgewatch.device-id=gate-01$' "$conf" || die "the installed configuration is not the example"
sed 's/^edgewatch.device-id=gate-01$/edgewatch.device-id=deb-check-edited/' "$conf" > "$tmp/edited"
cat "$tmp/edited" > "$conf"   # in place, as sudoedit does: owner and mode stay
dpkg -i "$v2_deb" > "$tmp/upgrade.out" 2>&1 < /dev/null || { cat "$tmp/upgrade.out" >&2; die "dpkg -i $v2_deb (upgrade) failed"; }
[[ "$(dpkg-query -W -f='${Version}' edgewatch)" == "$v2" ]] || die "installed version is not $v2 after the upgrade"
grep -qx 'edgewatch.device-id=deb-check-edited' "$conf" || die "the upgrade replaced the operator's edit of $conf"
[[ "$(mode "$conf")" == "640 root:edgewatch" ]] || die "$conf is $(mode "$conf") after the upgrade"
[[ "$(cat /etc/edgewatch/credentials/http-token)" == "$token" && "$(cat /etc/edgewatch/credentials/gallery-key)" == "$key" ]] \
  || die "the upgrade replaced the HTTP token or the gallery key"
! ls /etc/edgewatch/*.dpkg-* >/dev/null 2>&1 || die "dpkg left $(ls /etc/edgewatch/*.dpkg-*)"
step "operator's edit of $conf, dpkg -i $v2 (upgrade): edit, token and gallery key kept"

# --- 6. purge -------------------------------------------------------------------------------------------------------
dpkg --purge edgewatch > "$tmp/purge.out" 2>&1 || { cat "$tmp/purge.out" >&2; die "dpkg --purge edgewatch failed"; }
dpkg-query -W edgewatch >/dev/null 2>&1 && die "dpkg still knows edgewatch after the purge"
edgewatch_paths > "$tmp/paths-after"
diff "$tmp/paths-before" "$tmp/paths-after" > "$tmp/paths.diff" || { cat "$tmp/paths.diff" >&2; die "the purge left files"; }
! dpkg-statoverride --list | grep -q edgewatch || die "the purge left a stat override: $(dpkg-statoverride --list | grep edgewatch)"
id edgewatch >/dev/null 2>&1 || die "the purge deleted the system user (README says it is kept)"
step "dpkg --purge: no file left, the system user edgewatch kept (as the README says; removed now by this check)"

# --- 7. the arm64 package: build and lintian only ----------------------------------------------------------------
if [[ -f target/arm64/quarkus-app/quarkus-run.jar ]]; then
  arm_deb="$(scripts/build-deb.sh --arch arm64 --out "$tmp/deb")"
  lintian --pedantic --fail-on error,warning,info,pedantic "$arm_deb" > "$tmp/lintian-arm64.out" 2>&1 \
    || { grep -v 'root privileges' "$tmp/lintian-arm64.out" >&2; die "lintian found tags in the arm64 package that are not overridden"; }
  step "built $(basename "$arm_deb") ($(( $(stat -c %s "$arm_deb") / 1000000 )) MB), lintian --pedantic: no tag left"
else
  step "no arm64 build in target/arm64 (mvn -Parm64 -DskipTests package): arm64 package not built"
fi
echo "deb-check: OK in $(( $(date +%s) - t_start )) s"
