package io.edgewatch.pipeline;

import io.edgewatch.capture.CapturedFrame;
import io.edgewatch.detect.Detection;
import io.edgewatch.detect.DetectorService;
import io.edgewatch.detect.Region;
import io.edgewatch.events.TrackEvent;
import io.edgewatch.motion.MotionResult;
import io.edgewatch.track.Tracker;

import java.util.List;
import java.util.Set;

/**
 * What the stages of one camera know about the frame being analysed; filled in stage by stage, in data-flow order.
 * Belongs to one pipeline thread.
 */
public final class FrameContext {
    /** The frame (owned by the pipeline loop, closed after the last stage). */
    public final CapturedFrame frame;
    /** Motion found (null when motion gating is off). */
    public MotionResult motion;
    /** Regions sent to the detector (empty: no inference this round). */
    public List<Region> regions = List.of();
    /** Whether this round looked at the whole frame. */
    public boolean fullFrame;
    /** The regions queued on the detector, until they are awaited. */
    public DetectorService.Client.Pending pending;
    /** What the detector returned for the regions. */
    public DetectorService.RoundResult round = DetectorService.RoundResult.EMPTY;
    /** Detections at or above their label's threshold. */
    public List<Detection> confident = List.of();
    /** Detections below it but above the weak threshold. */
    public List<Detection> weak = List.of();
    /** Which tracks the round looked for. */
    public Tracker.Coverage coverage = Tracker.Coverage.NONE;
    /** The tracker's update. */
    public Tracker.Update update;
    /** Ids of tracks whose zone state changed (an immediate update is due). */
    public Set<String> zoneChanges = Set.of();
    /** Events published for the frame. */
    public List<TrackEvent> events = List.of();

    /** Stage times so far, ms: motion and regions; tracking, zones and faces; events. */
    double motionMs;
    double trackMs;
    double publishMs;
    double detectWallMs;

    public FrameContext(CapturedFrame frame) {
        this.frame = frame;
    }
}
