package io.edgewatch.capture;

import java.util.Locale;

/** What a camera's {@code source} string points at; decides FFmpeg options and the hand-off mode. */
public enum SourceKind {
    /** {@code rtsp://} or {@code rtsps://} network stream. */
    RTSP,
    /** Other network URL FFmpeg understands ({@code http://}, {@code udp://}, {@code srt://} ...). */
    NETWORK,
    /** A V4L2 device path such as {@code /dev/video0}. */
    V4L2,
    /** A video file, replayed. */
    FILE;

    /** Classifies a source string. */
    public static SourceKind of(String source) {
        String s = source.toLowerCase(Locale.ROOT);
        if (s.startsWith("rtsp://") || s.startsWith("rtsps://")) {
            return RTSP;
        }
        if (s.matches("^[a-z][a-z0-9+.-]*://.*") && !s.startsWith("file://")) {
            return NETWORK;
        }
        if (s.startsWith("/dev/video")) {
            return V4L2;
        }
        return FILE;
    }

    /** Live sources drop stale frames; files are replayed frame by frame. */
    public boolean live() {
        return this != FILE;
    }
}
