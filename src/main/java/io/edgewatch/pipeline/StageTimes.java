package io.edgewatch.pipeline;

/**
 * Time spent in each stage for one frame, ms.
 *
 * @param preprocessMs  resize, colour conversion and tensor write
 * @param invokeMs      interpreter invoke
 * @param postprocessMs output read-out and decoding
 * @param trackMs       Kalman predict/update and association
 * @param publishMs     event building, serialization and hand-off to the sink
 * @param detections    detections that passed the filter
 * @param events        events published for the frame
 */
public record StageTimes(double preprocessMs, double invokeMs, double postprocessMs, double trackMs, double publishMs,
                         int detections, int events) {
    /** Sum of all stages, ms. */
    public double totalMs() {
        return preprocessMs + invokeMs + postprocessMs + trackMs + publishMs;
    }
}
