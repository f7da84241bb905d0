package io.edgewatch.face;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The running agent's face service, for readers above the pipeline ({@code /transparency}, health): set by the
 * agent when face processing starts, cleared when it stops. Keeps {@code face} free of the pipeline that wires it.
 */
@ApplicationScoped
public class FaceRuntime {
    private volatile FaceService current;

    /** The running face service, or null when faces are off or the agent is not running. */
    public FaceService current() {
        return current;
    }

    /** Sets (or clears, with null) the running face service. */
    public void current(FaceService svc) {
        this.current = svc;
    }
}
