package io.edgewatch.capture;

import io.edgewatch.util.Redaction;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.jboss.logging.Logger;

/**
 * FFmpeg's own messages (errors and worse) through the application log instead of raw standard error: redacted of
 * credentials ({@link Redaction}), prefixed with the camera of the capture thread that produced them, and kept per
 * thread (the first of the last burst, at most 30 s old) so that a failed open or read can say why ({@code method DESCRIBE failed: 404 Not Found}) instead of JavaCV's
 * generic "Could not open input".
 */
public final class FfmpegLog extends LogCallback {
    private static final Logger LOG = Logger.getLogger("io.edgewatch.capture.ffmpeg");
    /** Kept in a static field: FFmpeg calls it for the life of the process. */
    private static final FfmpegLog INSTANCE = new FfmpegLog();
    /** A burst of errors (an open and JavaCV's retry of it) is this close together, ms. */
    private static final long BURST_MS = 5_000;
    /** An error older than this says nothing about a failure now, ms. */
    private static final long RELEVANT_MS = 30_000;
    private static final ThreadLocal<Entry> FIRST_ERROR = new ThreadLocal<>();

    private record Entry(String text, long atMs) { }

    private FfmpegLog() {
    }

    /** Routes FFmpeg's log to this callback at level ERROR; idempotent. */
    static synchronized void install() {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        avutil.setLogCallback(INSTANCE);
    }

    @Override
    public void call(int level, BytePointer msg) {
        try {
            if (level > avutil.av_log_get_level() || msg == null) {
                return;
            }
            // "[rtsp @ 0x7f..] method DESCRIBE failed: 404Not Found" -> "rtsp: method DESCRIBE failed: 404 Not Found"
            String text = msg.getString().strip().replaceAll("^\\[(\\w+) @ 0x[0-9a-fA-F]+\\]\\s*", "$1: ")
                    .replaceAll("(\\d{3})([A-Z][a-z])", "$1 $2");
            if (text.isEmpty()) {
                return;
            }
            text = Redaction.text(text);
            String thread = Thread.currentThread().getName();
            String who = thread.startsWith("capture-") ? "camera " + thread.substring("capture-".length()) + ": "
                    : thread.startsWith("doctor-") ? "camera " + thread.substring("doctor-".length()) + ": " : "";
            long now = System.currentTimeMillis();
            Entry first = FIRST_ERROR.get();
            if (first == null || now - first.atMs() > BURST_MS) {
                FIRST_ERROR.set(new Entry(text, now)); // the first error of a burst is the cause; JavaCV's retry of an open adds others
            }
            LOG.warnf("%sFFmpeg %s", who, text);
        } catch (RuntimeException e) {
            // never let an exception reach FFmpeg's native frame
        }
    }

    /**
     * A JavaCV exception message for people: without the hints meant for developers, with FFmpeg's first error of
     * this thread's last burst of errors appended (and cleared) when it is recent, redacted of credentials.
     */
    public static String explain(String javacvMessage) {
        Entry e = FIRST_ERROR.get();
        FIRST_ERROR.remove();
        String first = e != null && System.currentTimeMillis() - e.atMs() <= RELEVANT_MS ? e.text() : null;
        if (first != null && first.contains("on blacklist 'tls'")) {
            // FfmpegFrameReader forbids FFmpeg's own TLS, which would not check the certificate
            first = first + " - a redirect or playlist entry to a TLS URL, or a TLS protocol other than rtsps://, https:// and tls://,"
                    + " would not have its certificate checked (tls-verify=false accepts that)";
        }
        String m = javacvMessage == null ? "" : javacvMessage.replace(" (Has setFormat() been called?)", "")
                .replaceAll("\\s*\\(For more details.*?has been called\\.\\)", "");
        return Redaction.text(first == null || m.contains(first) ? m : m + " (FFmpeg: " + first + ")");
    }

    /** Forgets this thread's last FFmpeg error (before a new open). */
    static void clear() {
        FIRST_ERROR.remove();
    }
}
