package io.edgewatch.events;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes each event as one JSON line to standard output (used when no broker is configured). Retained state
 * messages (availability) are not written: standard output carries events only.
 */
public final class StdoutEventSink implements EventSink {
    private final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);

    @Override
    public synchronized void send(String topic, byte[] payload, boolean retained) {
        if (retained) {
            return;
        }
        out.write(payload, 0, payload.length);
        out.write('\n');
        out.flush();
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public String describe() {
        return "stdout";
    }

    @Override
    public void close() {
        out.flush();
    }
}
