package io.edgewatch.capture;

/**
 * Which decoded frames a camera's consumer will analyse, asked by the capture thread for every decoded frame before
 * it is converted to BGR: a frame not wanted is decoded (the stream needs it) but never converted, copied or handed
 * over. Implementations are called from the capture thread and must be cheap and thread-safe; answering true for a
 * frame the consumer then discards is harmless, answering false for one it would analyse loses that frame.
 */
@FunctionalInterface
public interface FrameDemand {
    /** Every frame is wanted (the default: file benchmarks, the doctor, a detection rate of every frame). */
    FrameDemand EVERY_FRAME = timeMs -> true;

    /**
     * @param captureTimeMs the decoded frame's time, epoch ms, as its {@link CapturedFrame#captureTimeMs()} will be
     * @return whether to convert and hand over the frame
     */
    boolean wanted(long captureTimeMs);
}
