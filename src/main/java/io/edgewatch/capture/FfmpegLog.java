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

    /**
     * Routes FFmpeg's log to this callback at level ERROR; idempotent. Called before any FFmpeg use that does not go
     * through {@link FfmpegFrameReader} (which calls it itself), so FFmpeg's stream dump never reaches standard error.
     */
    public static synchronized void install() {
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
        m = withErrorText(m);
        return Redaction.text(first == null || m.contains(first) ? m : m + " (FFmpeg: " + first + ")");
    }

    private static final java.util.regex.Pattern ERROR_CODE = java.util.regex.Pattern.compile("\\berror (-\\d{1,10}):");

    /**
     * JavaCV's {@code avformat_open_input() error -1094995529: ...} with FFmpeg's own words for the code
     * ({@code av_strerror}): {@code error -1094995529 (Invalid data found when processing input): ...}.
     */
    static String withErrorText(String message) {
        java.util.regex.Matcher x = ERROR_CODE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (x.find()) {
            String code = x.group(1);
            String text;
            try {
                text = errorText(Integer.parseInt(code));
            } catch (NumberFormatException e) {
                text = null;
            }
            x.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                    "error " + code + (text == null ? "" : " (" + text + ")") + ":"));
        }
        x.appendTail(out);
        return out.toString();
    }

    /** FFmpeg's description of an AVERROR code, or null when it has none. */
    static String errorText(int code) {
        try (BytePointer buf = new BytePointer(256)) {
            if (avutil.av_strerror(code, buf, 256) < 0) {
                return null;
            }
            String t = buf.getString(); // the whole buffer (its limit): the text ends at FFmpeg's NUL
            int end = t.indexOf('\0');
            t = (end >= 0 ? t.substring(0, end) : t).strip();
            return t.isEmpty() ? null : t;
        }
    }

    /** Forgets this thread's last FFmpeg error (before a new open). */
    static void clear() {
        FIRST_ERROR.remove();
    }
}
