package io.edgewatch.pipeline;

/**
 * One step of a camera's per-frame path (motion, regions, detect, track, zones, faces, events). A stage reads what
 * the stages before it left in the {@link FrameContext} and adds its own result. Stages of one camera run in order
 * on that camera's pipeline thread; {@link CameraPipeline} times each one.
 */
public interface Stage extends AutoCloseable {
    /** Short name for timings and logs, e.g. {@code motion}. */
    String name();

    /**
     * True when the stage needs only the frame itself (not the results of the previous frame): the pipeline may run it
     * while the detector still works on the previous frame. Default false.
     */
    default boolean early() {
        return false;
    }

    /**
     * Processes one analysed frame.
     *
     * @throws RuntimeException when the stage cannot go on; the pipeline reports it and restarts nothing itself
     */
    void process(FrameContext ctx);

    /** Releases what the stage holds (native buffers). Default: nothing. */
    @Override
    default void close() {
    }
}
