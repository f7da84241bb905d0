package io.edgewatch.motion;

import io.edgewatch.detect.BoxNorm;

import java.util.List;

/**
 * What {@link MotionDetector#detect} found in one frame.
 *
 * @param boxes           motion boxes, normalized to the frame (0..1, origin top-left), pairwise non-overlapping (boxes
 *                        that overlapped or touched are merged into their union); empty when nothing moved, while the
 *                        background is being learned and on a re-learn
 * @param changedFraction fraction of the unmasked small frame whose pixels changed by more than the threshold, 0..1
 *                        (before dilation; 0 on the first frame after a start or a frame-size change)
 * @param relearned       whether this frame changed so much at once ({@code changedFraction >= lightningThreshold})
 *                        that the background was reset to it
 */
public record MotionResult(List<BoxNorm> boxes, double changedFraction, boolean relearned) {
    public MotionResult {
        boxes = List.copyOf(boxes);
    }

    /** Whether there is at least one motion box. */
    public boolean hasMotion() {
        return !boxes.isEmpty();
    }
}
