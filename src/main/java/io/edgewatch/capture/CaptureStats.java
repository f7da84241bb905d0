package io.edgewatch.capture;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live figures of one camera's capture, written by its capture thread and read by health checks and metrics.
 * Thread-safe.
 */
public final class CaptureStats {
    private final String cameraId;
    private final AtomicReference<CaptureState> state = new AtomicReference<>(CaptureState.STARTING);
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong corruptFrames = new AtomicLong();
    private final AtomicLong framesNotConverted = new AtomicLong();
    private final AtomicLong lastFrameMs = new AtomicLong();
    private volatile double fps;
    private volatile int width;
    private volatile int height;
    private final AtomicLong stalls = new AtomicLong();
    private final Deque<Long> reconnectTimes = new ArrayDeque<>();
    private final Deque<Long> stallTimes = new ArrayDeque<>();
    private static final long HOUR_MS = 3_600_000;
    private long windowStartNs = System.nanoTime();
    private long windowFrames;

    public CaptureStats(String cameraId) {
        this.cameraId = cameraId;
    }

    /** Records one decoded frame; updates fps over windows of at least one second. */
    void frame(int w, int h) {
        framesReceived.incrementAndGet();
        lastFrameMs.set(System.currentTimeMillis());
        width = w;
        height = h;
        synchronized (this) {
            windowFrames++;
            long now = System.nanoTime();
            double s = (now - windowStartNs) / 1e9;
            if (s >= 1.0) {
                fps = windowFrames / s;
                windowFrames = 0;
                windowStartNs = now;
            }
        }
    }

    /** Records a decoded frame the consumer did not want (not due at its detection rate): never converted to BGR. */
    void unconverted() {
        framesNotConverted.incrementAndGet();
    }

    /** Decoded frames passed over without colour conversion because the consumer would not analyse them, since start. */
    public long framesNotConverted() {
        return framesNotConverted.get();
    }

    void state(CaptureState s) {
        state.set(s);
    }

    void error(String message) {
        lastError.set(io.edgewatch.util.Redaction.text(message));
    }

    void reconnect() {
        reconnects.incrementAndGet();
        synchronized (reconnectTimes) {
            reconnectTimes.addLast(System.currentTimeMillis());
        }
    }

    /** Records a stall: the stream was open but delivered no frame for the stall time-out. */
    void stall() {
        stalls.incrementAndGet();
        synchronized (stallTimes) {
            stallTimes.addLast(System.currentTimeMillis());
        }
    }

    private static int lastHour(Deque<Long> times) {
        synchronized (times) {
            long cut = System.currentTimeMillis() - HOUR_MS;
            while (!times.isEmpty() && times.peekFirst() < cut) {
                times.pollFirst();
            }
            return times.size();
        }
    }

    /** Reconnects in the last hour. */
    public int reconnectsLastHour() {
        return lastHour(reconnectTimes);
    }

    /** Stalls (open stream, no frame for the stall time-out) since start. */
    public long stalls() {
        return stalls.get();
    }

    /** Stalls in the last hour. */
    public int stallsLastHour() {
        return lastHour(stallTimes);
    }

    /**
     * Connection quality against {@code expectedFps} (Hz), see {@link ConnectionQuality}. A file that ended
     * normally keeps the grade it had.
     */
    public ConnectionQuality quality(double expectedFps) {
        return ConnectionQuality.grade(fps(), expectedFps, reconnectsLastHour(), stallsLastHour());
    }

    void corrupt() {
        corruptFrames.incrementAndGet();
    }

    public String cameraId() {
        return cameraId;
    }

    public CaptureState state() {
        return state.get();
    }

    /** Last error message from the source, or null. */
    public String lastError() {
        return lastError.get();
    }

    public long framesReceived() {
        return framesReceived.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    public long corruptFrames() {
        return corruptFrames.get();
    }

    /** Epoch ms of the last decoded frame, 0 before the first. */
    public long lastFrameMs() {
        return lastFrameMs.get();
    }

    /**
     * Received frames per second over the last full window of at least 1 s; 0 before the first window and when
     * no frame arrived for 2 s (a stalled or lost stream has no rate), except after a file ended.
     */
    public double fps() {
        long last = lastFrameMs.get();
        if (state.get() != CaptureState.ENDED && (last == 0 || System.currentTimeMillis() - last > 2_000)) {
            return 0;
        }
        return fps;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }
}
