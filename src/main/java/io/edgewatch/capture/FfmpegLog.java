package io.edgewatch.capture;

import io.edgewatch.util.Redaction;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.jboss.logging.Logger;

/**
 * FFmpeg's own messages (errors and worse) through the application log instead of raw standard error: redacted of
 * credentials ({@link Redaction}), prefixed with the camera of the capture thread that produced them, and kept per
 * thread (the first since the open began) so that a failed open can say why ({@code method DESCRIBE failed: 404 Not Found}) instead of JavaCV's
 * generic "Could not open input".
 */
public final class FfmpegLog extends LogCallback {
    private static final Logger LOG = Logger.getLogger("io.edgewatch.capture.ffmpeg");
    /** Kept in a static field: FFmpeg calls it for the life of the process. */
    private static final FfmpegLog INSTANCE = new FfmpegLog();
    private static final ThreadLocal<String> LAST_ERROR = new ThreadLocal<>();

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
            if (LAST_ERROR.get() == null) {
                LAST_ERROR.set(text); // the first error of an open is the cause; JavaCV's retry of the open adds others
            }
            LOG.warnf("%sFFmpeg %s", who, text);
        } catch (RuntimeException e) {
            // never let an exception reach FFmpeg's native frame
        }
    }

    /**
     * A JavaCV exception message for people: without the hints meant for developers, with FFmpeg's first error of
     * this thread's open appended (and cleared), redacted of credentials.
     */
    public static String explain(String javacvMessage) {
        String first = LAST_ERROR.get();
        LAST_ERROR.remove();
        String m = javacvMessage == null ? "" : javacvMessage.replace(" (Has setFormat() been called?)", "")
                .replaceAll("\\s*\\(For more details.*?has been called\\.\\)", "");
        return Redaction.text(first == null || m.contains(first) ? m : m + " (FFmpeg: " + first + ")");
    }

    /** Forgets this thread's last FFmpeg error (before a new open). */
    static void clear() {
        LAST_ERROR.remove();
    }
}
