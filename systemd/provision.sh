# Device provisioning shared by systemd/install.sh (which sources this file) and the Debian package's postinst
# (scripts/build-deb.sh copies this file into it): the system user and the per-device secrets, each created once
# and never replaced. POSIX sh (the postinst runs under /bin/sh); the caller sets -e.

# edgewatch_user: creates the system user and group `edgewatch` (home /var/lib/edgewatch, no login shell, member of
# the video and render groups when they exist, for cameras and NPUs) unless it exists, and its state folder
# /var/lib/edgewatch (0750; systemd's StateDirectory= adopts it) so that `sudo -u edgewatch edgewatch doctor` works
# before the service first started.
edgewatch_user() {
  if ! id edgewatch >/dev/null 2>&1; then edgewatch_new_user; fi
  if [ ! -d /var/lib/edgewatch ]; then install -d -o edgewatch -g edgewatch -m 0750 /var/lib/edgewatch; fi
}
edgewatch_new_user() {
  ew_groups=""
  for ew_g in video render; do
    if getent group "$ew_g" >/dev/null; then ew_groups="${ew_groups:+$ew_groups,}$ew_g"; fi
  done
  useradd --system --user-group --no-create-home --home-dir /var/lib/edgewatch --shell /usr/sbin/nologin \
    ${ew_groups:+--groups "$ew_groups"} edgewatch
  echo "created system user edgewatch${ew_groups:+ (groups $ew_groups)}"
}

# edgewatch_credentials ETC: in ETC (/etc/edgewatch), the folder credentials/ (0700) with, when absent, an empty
# mqtt-password (0600, the operator writes the broker password into it), a random 256-bit face gallery key
# (base64) and a random 256-bit HTTP access token (64 hex digits); existing files are never touched.
edgewatch_credentials() {
  ew_etc="$1"
  install -d -m 0700 "$ew_etc/credentials"
  if [ ! -f "$ew_etc/credentials/mqtt-password" ]; then install -m 0600 /dev/null "$ew_etc/credentials/mqtt-password"; fi
  # key of the face gallery at rest; generated once on the device, never leaves it
  if [ ! -f "$ew_etc/credentials/gallery-key" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 > "$ew_etc/credentials/gallery-key")
  fi
  # access token for health details and metrics (Authorization: Bearer, README "Security")
  if [ ! -f "$ew_etc/credentials/http-token" ]; then
    (umask 077; head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' > "$ew_etc/credentials/http-token")
    echo "created the access token $ew_etc/credentials/http-token (health details and metrics: curl -H \"Authorization: Bearer \$(sudo cat $ew_etc/credentials/http-token)\" http://127.0.0.1:9000/q/health)"
  fi
}
