package io.edgewatch.health;

/** Outcome of one doctor check. Only {@link #FAIL} makes the doctor exit non-zero. */
public enum CheckStatus {
    /** The check passed. */
    OK,
    /** Works, but an installer should look (e.g. no broker configured: events go to standard output). */
    WARN,
    /** Broken: the agent will not work as configured. */
    FAIL,
    /** Not applicable to this configuration. */
    SKIP
}
