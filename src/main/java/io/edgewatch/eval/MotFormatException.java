package io.edgewatch.eval;

import java.io.IOException;

/**
 * A MOTChallenge file (or seqinfo.ini) that cannot be read as such: names the file and the 1-based line. The
 * command line reports its message and exits 2.
 */
public final class MotFormatException extends IOException {
    private final String source;
    private final int line;

    /**
     * @param source the file (path or name) read
     * @param line   1-based line number, or 0 when the problem is not on one line
     * @param reason what is wrong
     */
    public MotFormatException(String source, int line, String reason) {
        super(source + (line > 0 ? " line " + line : "") + ": " + reason);
        this.source = source;
        this.line = line;
    }

    /** The file (path or name) read. */
    public String source() {
        return source;
    }

    /** The 1-based line number, 0 when the problem is not on one line. */
    public int line() {
        return line;
    }
}
