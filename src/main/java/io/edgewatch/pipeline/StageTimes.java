package io.edgewatch.pipeline;

/**
 * Time spent in each stage for one analysed frame, ms.
 *
 * @param motionMs      motion detection on the small grayscale copy, and region planning
 * @param preprocessMs  crop, resize, colour conversion and tensor write, summed over the frame's regions
 * @param invokeMs      interpreter invoke, summed over the frame's regions
 * @param postprocessMs output read-out and decoding, summed over the frame's regions
 * @param trackMs       Kalman predict/update and association, zones and faces
 * @param publishMs     event building, serialization and hand-off to the sink
 * @param detections    detections that passed the filter
 * @param events        events published for the frame
 * @param regions       regions detected (0 = no inference: nothing moved and nothing was tracked)
 * @param waitMs        time the frame waited for the shared detector beyond its own regions' work, ms
 */
public record StageTimes(double motionMs, double preprocessMs, double invokeMs, double postprocessMs, double trackMs,
                         double publishMs, int detections, int events, int regions, double waitMs) {
    /** Sum of all stages (without the wait), ms. */
    public double totalMs() {
        return motionMs + preprocessMs + invokeMs + postprocessMs + trackMs + publishMs;
    }
}
