package io.edgewatch.inference;

/**
 * Options for one interpreter.
 *
 * @param threads      CPU threads for kernels and XNNPACK, 1..64
 * @param acceleration CPU kernels or XNNPACK
 */
public record InterpreterOptions(int threads, Acceleration acceleration) {
    public InterpreterOptions {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be 1..64, was " + threads);
        }
        if (acceleration == null) {
            acceleration = Acceleration.XNNPACK;
        }
    }

    /** XNNPACK on {@code threads} threads. */
    public static InterpreterOptions xnnpack(int threads) {
        return new InterpreterOptions(threads, Acceleration.XNNPACK);
    }
}
