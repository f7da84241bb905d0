package io.edgewatch.track;

/**
 * Position of a track at one moment.
 *
 * @param timeMs epoch ms of the frame
 * @param x      box centre, normalized 0..1 of frame width
 * @param y      box centre, normalized 0..1 of frame height
 */
public record PathSample(long timeMs, double x, double y) { }
