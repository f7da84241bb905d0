package io.edgewatch.capture;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A one-frame hand-off between a capture thread and a consumer. In {@link Mode#LATEST} (live cameras) a new
 * frame replaces an unconsumed one, which is released and counted as dropped, so a slow consumer never builds
 * a backlog. In {@link Mode#BLOCKING} (file replay) the producer waits for the consumer, so every frame of a
 * file is analysed.
 */
public final class LatestFrameSlot {
    /** Hand-off policy. */
    public enum Mode { LATEST, BLOCKING }

    private final Mode mode;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private CapturedFrame frame;
    private boolean closed;
    private final AtomicLong dropped = new AtomicLong();

    public LatestFrameSlot(Mode mode) {
        this.mode = mode;
    }

    /**
     * Offers a frame. In LATEST mode it never blocks; in BLOCKING mode it waits until the slot is empty.
     *
     * @return false when the slot is closed (the frame was released)
     */
    public boolean put(CapturedFrame f) throws InterruptedException {
        lock.lock();
        try {
            if (mode == Mode.BLOCKING) {
                while (frame != null && !closed) {
                    changed.await();
                }
            }
            if (closed) {
                f.close();
                return false;
            }
            if (frame != null) {
                frame.close();
                dropped.incrementAndGet();
            }
            frame = f;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * In {@link Mode#BLOCKING} waits until the consumer has taken the frame in the slot (or the slot is closed); in
     * {@link Mode#LATEST} returns at once. Lets a producer ask the consumer's schedule about the next frame only once
     * the consumer has seen the previous one.
     */
    public void awaitTaken() throws InterruptedException {
        if (mode != Mode.BLOCKING) {
            return;
        }
        lock.lock();
        try {
            while (frame != null && !closed) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the newest frame, waiting up to {@code timeoutMs}.
     *
     * @return the frame, or null on time-out or when the slot is closed and empty
     */
    public CapturedFrame take(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (frame == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                changed.awaitNanos(left);
            }
            CapturedFrame f = frame;
            frame = null;
            changed.signalAll();
            return f;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the slot: producers stop, the consumer drains the last frame then gets null. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True once closed and empty: nothing more will come. */
    public boolean finished() {
        lock.lock();
        try {
            return closed && frame == null;
        } finally {
            lock.unlock();
        }
    }

    /** Frames replaced before the consumer took them. */
    public long dropped() {
        return dropped.get();
    }

    public Mode mode() {
        return mode;
    }
}
