package io.edgewatch.zones;

/**
 * One crossing of a counting line by a track.
 *
 * @param line      line name
 * @param direction {@link CrossingLine#IN} or {@link CrossingLine#OUT}
 * @param timeMs    time of the first frame on the new side, epoch ms
 */
public record LineCrossing(String line, String direction, long timeMs) { }
