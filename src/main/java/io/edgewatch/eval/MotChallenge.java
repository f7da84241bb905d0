package io.edgewatch.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and writes MOTChallenge text files (Milan et al., "MOT16: A Benchmark for Multi-Object Tracking",
 * arXiv:1603.00831; Leal-Taixé et al., "MOTChallenge 2015", arXiv:1504.01942): one box per line,
 * {@code frame,id,left,top,width,height,flag_or_score,x,y,z}, comma-separated, pixels, frames from 1.
 * <p>
 * Reading accepts 7 to 10 values per line (missing {@code x,y,z} are -1), spaces around values, lines without any
 * comma separated by white space instead (TrackEval sniffs the delimiter too), blank lines, a UTF-8 byte order mark, and integral decimals for frame and id ({@code 3.0}); anything else (too few or many values, a
 * non-number, a non-integral or out-of-range frame or id, frame &lt; 1, a negative size, NaN or infinity, the same id
 * twice in one frame) throws {@link MotFormatException} naming the file and line.
 */
public final class MotChallenge {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private MotChallenge() {
    }

    /** Reads a ground-truth or result file. */
    public static List<MotRow> read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), r);
        }
    }

    /** Parses MOTChallenge text; {@code source} names it in error messages. */
    public static List<MotRow> parse(String source, String text) throws MotFormatException {
        try {
            return parse(source, new BufferedReader(new StringReader(text)));
        } catch (MotFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    /** Parses MOTChallenge text from a reader; {@code source} names it in error messages. */
    public static List<MotRow> parse(String source, Reader reader) throws IOException {
        BufferedReader r = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<MotRow> rows = new ArrayList<>();
        Map<Long, Integer> lineOfFrameId = new HashMap<>();
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            MotRow row = parseLine(source, lineNo, line);
            long key = ((long) row.frame() << 32) ^ (row.id() & 0xffffffffL);
            Integer first = lineOfFrameId.putIfAbsent(key, lineNo);
            if (first != null) {
                throw new MotFormatException(source, lineNo,
                        "id " + row.id() + " appears twice in frame " + row.frame() + " (first on line " + first + ")");
            }
            rows.add(row);
        }
        return rows;
    }

    /** Parses one non-blank line. */
    public static MotRow parseLine(String source, int lineNo, String line) throws MotFormatException {
        String[] parts = line.indexOf(',') >= 0 ? line.split(",", -1) : line.strip().split("\\s+");
        if (parts.length < 7 || parts.length > 10) {
            throw new MotFormatException(source, lineNo, "expected 7 to 10 comma-separated values "
                    + "(frame,id,left,top,width,height,flag_or_score[,x,y,z]), found " + parts.length + ": '"
                    + abbreviate(line) + "'");
        }
        double[] v = new double[10];
        v[7] = -1;
        v[8] = -1;
        v[9] = -1;
        String[] names = {"frame", "id", "left", "top", "width", "height", "flag_or_score", "x", "y", "z"};
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i].strip();
            if (!DECIMAL.matcher(s).matches()) {
                throw new MotFormatException(source, lineNo, names[i] + " is not a decimal number: '"
                        + abbreviate(s) + "'");
            }
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) {
                throw new MotFormatException(source, lineNo, names[i] + " is out of range: '" + abbreviate(s) + "'");
            }
            v[i] = d;
        }
        int frame = integral(source, lineNo, "frame", v[0]);
        int id = integral(source, lineNo, "id", v[1]);
        if (frame < 1) {
            throw new MotFormatException(source, lineNo, "frame must be >= 1 (frames count from 1), was " + frame);
        }
        if (v[4] < 0 || v[5] < 0) {
            throw new MotFormatException(source, lineNo, "width and height must be >= 0, were " + parts[4].strip()
                    + " and " + parts[5].strip());
        }
        return new MotRow(frame, id, v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    private static int integral(String source, int lineNo, String name, double d) throws MotFormatException {
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw new MotFormatException(source, lineNo, name + " must be an integer, was " + d);
        }
        return (int) d;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /**
     * Formats a result row {@code frame,id,left,top,width,height,score,-1,-1,-1}: coordinates with at most 2
     * decimals, the score with at most 4, trailing zeros dropped, '.' as decimal separator.
     */
    public static String formatResult(MotRow row) {
        return row.frame() + "," + row.id() + "," + number(row.left(), 2) + "," + number(row.top(), 2) + ","
                + number(row.width(), 2) + "," + number(row.height(), 2) + "," + number(row.flagOrScore(), 4)
                + ",-1,-1,-1";
    }

    /** Writes result rows (see {@link #formatResult}), sorted by frame then id, one per line. */
    public static void writeResults(Writer out, List<MotRow> rows) throws IOException {
        List<MotRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt(MotRow::frame).thenComparingInt(MotRow::id));
        for (MotRow row : sorted) {
            out.write(formatResult(row));
            out.write('\n');
        }
        out.flush();
    }

    /** Writes result rows to a file (created or replaced), UTF-8. */
    public static void writeResults(Path file, List<MotRow> rows) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeResults(w, rows);
        }
    }

    static String number(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
