package io.edgewatch.util;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Log filter {@code redact-secrets} (set on the console handler in {@code application.properties}): rewrites every
 * log record, of this code and of the libraries (Paho, Quarkus, Vert.x), through {@link Redaction#text(String)}, its
 * message and the messages of its exception chain, so that no camera or broker credential reaches a log even where
 * a message was built without redaction. Records without credentials pass unchanged.
 */
@LoggingFilter(name = "redact-secrets")
public final class RedactingLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String formatted = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (Redaction.needed(formatted)) {
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(Redaction.text(formatted), ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(Redaction.text(formatted));
            }
            record.setParameters(null);
        }
        Throwable t = record.getThrown();
        if (t != null && chainNeedsRedaction(t)) {
            record.setThrown(RedactedThrowable.of(t, 0));
        }
        return true;
    }

    private static boolean chainNeedsRedaction(Throwable t) {
        for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
            if (Redaction.needed(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** A copy of an exception with redacted messages, the original class name, stack trace and causes. */
    static final class RedactedThrowable extends RuntimeException {
        private final String className;

        private RedactedThrowable(String className, String message, Throwable cause) {
            super(message, cause, false, true);
            this.className = className;
        }

        static RedactedThrowable of(Throwable t, int depth) {
            Throwable cause = t.getCause() != null && t.getCause() != t && depth < 20 ? of(t.getCause(), depth + 1) : null;
            RedactedThrowable r = new RedactedThrowable(t.getClass().getName(), Redaction.text(t.getMessage()), cause);
            r.setStackTrace(t.getStackTrace());
            return r;
        }

        @Override
        public String toString() {
            return getMessage() == null ? className : className + ": " + getMessage();
        }
    }
}
