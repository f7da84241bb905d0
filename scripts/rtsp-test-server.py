#!/usr/bin/python3
"""A small RTSP server for tests and the soak run, over the GStreamer RTSP server library (Debian packages
gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-{base,good,bad,ugly}, gstreamer1.0-libav, python3-gi).

Serves a video file as H.264 (or H.265 with --codec h265, or grayscale with --gray) at rtsp://127.0.0.1:PORT/stream,
in real time, looping is not done: at the end of the file the session ends and clients reconnect.
Signals: SIGUSR1 freezes every running session (the RTSP connection stays up but no RTP packet is sent: a stall);
SIGUSR2 unfreezes; SIGTERM stops. Prints "ready <port>" on standard output once listening.

With --user NAME --password PW the server demands RTSP basic authentication (GstRTSPAuth): other credentials get
401 Unauthorized.

Usage: rtsp-test-server.py --port 8554 --file media-cache/vtest.avi [--codec h264|h265] [--gray] [--size WxH]
       [--user NAME --password PW]
"""
import argparse
import signal
import sys

ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--file", required=True)
ap.add_argument("--codec", choices=["h264", "h265"], default="h264")
ap.add_argument("--gray", action="store_true")
ap.add_argument("--size", default="")
ap.add_argument("--user", default="")
ap.add_argument("--password", default="")
args = ap.parse_args()  # before GStreamer is imported: --help and a wrong argument (exit 2) work without it

try:
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402
except (ImportError, ValueError) as e:
    sys.exit(f"rtsp-test-server.py: GStreamer's RTSP server for Python is missing ({e}); install python3-gi "
             "gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad "
             "gstreamer1.0-plugins-ugly gstreamer1.0-libav (.ci/run does)")

Gst.init(None)
caps = []
if args.size:
    w, h = args.size.split("x")
    caps.append(f"videoscale ! video/x-raw,width={w},height={h}")
if args.gray:
    caps.append("videoconvert ! video/x-raw,format=GRAY8")
conv = " ! ".join(caps + ["videoconvert ! video/x-raw,format=I420"])
if args.codec == "h264":
    enc = "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=10 ! rtph264pay name=pay0 pt=96 config-interval=1"
else:
    enc = "x265enc tune=zerolatency speed-preset=ultrafast key-int-max=10 ! rtph265pay name=pay0 pt=96 config-interval=1"
launch = f"( filesrc location={args.file} ! decodebin ! {conv} ! valve name=valve drop=false ! {enc} )"

server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(str(args.port))
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(launch)
factory.set_shared(False)
server.get_mount_points().add_factory("/stream", factory)
if args.user:
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), token)
    server.set_auth(auth)
    perms = GstRtspServer.RTSPPermissions()
    perms.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
    perms.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
    factory.set_permissions(perms)
valves = []


def on_configure(_factory, media):
    valves.append(media.get_element().get_by_name("valve"))


factory.connect("media-configure", on_configure)


def set_drop(drop):
    for v in valves:
        v.set_property("drop", drop)
    print("frozen" if drop else "unfrozen", flush=True)
    return True


loop = GLib.MainLoop()
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGUSR1, lambda: set_drop(True))
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGUSR2, lambda: set_drop(False))
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, lambda: loop.quit() or False)
if server.attach(None) == 0:
    print(f"cannot listen on 127.0.0.1:{args.port}", file=sys.stderr)
    sys.exit(1)
print(f"ready {args.port}", flush=True)
loop.run()
