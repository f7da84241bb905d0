package io.edgewatch.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code [Sequence]} section of a MOTChallenge {@code seqinfo.ini}: the sequence's length in frames (the frames
 * its ground truth covers, which the last ground-truth row may not reach), frame rate and image size.
 *
 * @param name      sequence name
 * @param seqLength frames in the sequence, &gt;= 1
 * @param frameRate frames per second, &gt; 0
 * @param imWidth   image width, pixels (0 when absent)
 * @param imHeight  image height, pixels (0 when absent)
 */
public record SeqInfo(String name, int seqLength, double frameRate, int imWidth, int imHeight) {

    /** Reads {@code seqinfo.ini}; {@code seqLength} and {@code frameRate} are required. */
    public static SeqInfo read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> values = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (i == 0 && l.startsWith("\uFEFF")) {
                l = l.substring(1);
            }
            if (l.isEmpty() || l.startsWith(";") || l.startsWith("#") || l.startsWith("[")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new MotFormatException(file.toString(), i + 1, "expected key=value, found '" + l + "'");
            }
            String key = l.substring(0, eq).strip();
            values.put(key, l.substring(eq + 1).strip());
            lineOf.put(key, i + 1);
        }
        String src = file.toString();
        int length = intValue(src, values, lineOf, "seqLength", true);
        if (length < 1) {
            throw new MotFormatException(src, lineOf.get("seqLength"), "seqLength must be >= 1, was " + length);
        }
        String fr = values.get("frameRate");
        if (fr == null) {
            throw new MotFormatException(src, 0, "frameRate is missing");
        }
        double rate;
        try {
            rate = Double.parseDouble(fr);
        } catch (NumberFormatException e) {
            throw new MotFormatException(src, lineOf.get("frameRate"), "frameRate is not a number: '" + fr + "'");
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new MotFormatException(src, lineOf.get("frameRate"), "frameRate must be > 0, was " + fr);
        }
        return new SeqInfo(values.getOrDefault("name", ""), length, rate,
                intValue(src, values, lineOf, "imWidth", false), intValue(src, values, lineOf, "imHeight", false));
    }

    private static int intValue(String src, Map<String, String> values, Map<String, Integer> lineOf, String key,
                                boolean required) throws MotFormatException {
        String v = values.get(key);
        if (v == null) {
            if (required) {
                throw new MotFormatException(src, 0, key + " is missing");
            }
            return 0;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new MotFormatException(src, lineOf.get(key), key + " is not an integer: '" + v + "'");
        }
    }
}
