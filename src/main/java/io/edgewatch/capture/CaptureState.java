package io.edgewatch.capture;

/** Life cycle of one camera's capture. */
public enum CaptureState {
    /** Opening the source for the first time. */
    STARTING,
    /** Frames are arriving. */
    STREAMING,
    /** The source failed or stalled; waiting to reopen it. */
    RECONNECTING,
    /** A file source reached its end (or the frame limit); nothing more will come. */
    ENDED,
    /** A file source cannot be read at all; capture gave up. */
    FAILED,
    /** Stopped by the agent. */
    STOPPED
}
