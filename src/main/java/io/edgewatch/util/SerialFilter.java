package io.edgewatch.util;

import java.io.ObjectInputFilter;

/**
 * The process-wide JDK deserialisation filter (JEP 290): the agent deserialises no Java object from anywhere, so the
 * filter rejects every class. The launcher sets it with {@code -Djdk.serialFilter=!*}; {@link #rejectAll()} installs
 * the same when nothing was set (the jar started by hand, or before a legacy store is read).
 */
public final class SerialFilter {
    /** The pattern: no class is accepted. */
    public static final String REJECT_ALL = "!*";

    private SerialFilter() {
    }

    /**
     * Installs the reject-all filter unless a process-wide filter is already set (then that one stays: the JDK allows
     * setting it once).
     *
     * @return true when a process-wide filter is in place afterwards
     */
    public static synchronized boolean rejectAll() {
        if (ObjectInputFilter.Config.getSerialFilter() == null) {
            try {
                ObjectInputFilter.Config.setSerialFilter(ObjectInputFilter.Config.createFilter(REJECT_ALL));
            } catch (IllegalStateException alreadySet) {
                // set concurrently by someone else: fine
            }
        }
        return ObjectInputFilter.Config.getSerialFilter() != null;
    }
}
