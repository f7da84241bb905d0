package io.edgewatch.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The formatted records (INFO and above) a logger and its children write while a piece of test code runs. */
public final class LogCapture {
    private LogCapture() {
    }

    /** Test code that may throw. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * @param loggerName a class or package name ({@code io.edgewatch.capture})
     * @return the messages, {@code String.format}ted with their parameters, in order
     */
    public static List<String> during(String loggerName, Body body) throws Exception {
        Logger jul = Logger.getLogger(loggerName);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getParameters() == null || r.getParameters().length == 0 ? r.getMessage()
                        : String.format(java.util.Locale.ROOT, r.getMessage(), r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = jul.getLevel();
        jul.setLevel(Level.INFO);
        jul.addHandler(h);
        try {
            body.run();
        } finally {
            jul.removeHandler(h);
            jul.setLevel(before);
        }
        return List.copyOf(lines);
    }
}
