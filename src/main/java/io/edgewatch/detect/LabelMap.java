package io.edgewatch.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Class index to name. Reads {@code index  name} lines (COCO labels of the Coral test data) or plain
 * one-name-per-line files (index = line number).
 */
public final class LabelMap {
    private final Map<Integer, String> names;

    private LabelMap(Map<Integer, String> names) {
        this.names = Map.copyOf(names);
    }

    /** A map with no names: every index reads as {@code class<index>}. */
    public static LabelMap empty() {
        return new LabelMap(Map.of());
    }

    /**
     * @throws IllegalArgumentException naming the file and line when it cannot be parsed
     */
    public static LabelMap read(Path file, String format) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("label file " + file + " cannot be read: " + e.getMessage(), e);
        }
        Map<Integer, String> m = new HashMap<>();
        boolean indexed = format == null || format.equals("index-label");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (indexed) {
                String[] parts = line.split("\\s+", 2);
                try {
                    m.put(Integer.parseInt(parts[0]), parts.length > 1 ? parts[1].strip() : "");
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("label file " + file + " line " + (i + 1) + ": expected 'index name', got '" + line + "'");
                }
            } else {
                m.put(i, line);
            }
        }
        return new LabelMap(m);
    }

    /** Label for an index, or {@code class<index>} when the map has none. */
    public String name(int index) {
        String n = names.get(index);
        return n != null ? n : "class" + index;
    }

    /** True when some index maps to {@code name}. */
    public boolean contains(String name) {
        return names.containsValue(name);
    }

    public int size() {
        return names.size();
    }
}
