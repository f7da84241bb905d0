package io.edgewatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * One metadata event about one track, schema {@value #SCHEMA} (JSON Schema in
 * {@code src/main/resources/schema/track-event-v1.schema.json}). Contains no image data.
 *
 * @param schema  schema id and version, always {@value #SCHEMA}
 * @param seq     per-agent sequence number, contiguous from 1 across all cameras (gap detection)
 * @param type    {@code new}, {@code update} or {@code end}
 * @param time    RFC 3339 UTC time of the frame that caused the event, ms precision
 * @param device  device id
 * @param camera  camera id
 * @param frame   frame size in pixels (to convert normalized boxes) and the frame's sequence number
 * @param track   the track's current state
 * @param summary consolidated end-of-track facts, only on {@code end}
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "seq", "type", "time", "device", "camera", "frame", "track", "summary"})
public record TrackEvent(String schema, long seq, EventType type, String time, String device, String camera,
                         FrameRef frame, TrackInfo track, Summary summary) {

    public static final String SCHEMA = "edgewatch.track-event/1";

    /** The same event with another track object (e.g. with its face result attached). */
    public TrackEvent withTrack(TrackInfo t) {
        return new TrackEvent(schema, seq, type, time, device, camera, frame, t, summary);
    }

    /** The same event with another summary (e.g. with zone facts attached). */
    public TrackEvent withSummary(Summary sm) {
        return new TrackEvent(schema, seq, type, time, device, camera, frame, track, sm);
    }

    /** The same event with a sequence number. */
    public TrackEvent withSeq(long s) {
        return new TrackEvent(schema, s, type, time, device, camera, frame, track, summary);
    }

    /**
     * @param width  frame width, pixels
     * @param height frame height, pixels
     * @param seq    frame sequence number in the camera session
     */
    @RegisterForReflection
    public record FrameRef(int width, int height, long seq) { }

    /**
     * @param id        stable track id
     * @param label     class label, e.g. {@code person}
     * @param score     last detection score 0..1
     * @param topScore  best detection score so far 0..1
     * @param boxNorm   Kalman-filtered box at the last frame the object was detected (never an extrapolation of an unseen
     *                  object), normalized 0..1, 4 decimals
     * @param startTime RFC 3339 time of the first detection
     * @param ageMs     time since the first detection, ms
     * @param hits      frames in which the object was detected
     * @param velocity  centre velocity {@code [vx, vy]} in normalized units per second
     * @param face      face recognition result of a person track, only when face processing is enabled and a face
     *                  was embedded (absent otherwise, so events without faces are unchanged)
     * @param zones     names of the zones the track is in now, only on cameras with zones (absent otherwise)
     * @param crossings line crossings since the track's previous event, each reported once; absent when none
     * @param stationary true while the object has not moved for {@code stationary-after-s} (it is then re-checked,
     *                   not re-detected, and not ended for going undetected between re-checks); absent otherwise
     * @param dwell     dwell alerts since the track's previous event, each reported once: the track has stayed in the
     *                  zone for the zone's {@code dwell-alert-s} (once per stay); absent when none
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrackInfo(String id, String label, double score, double topScore, Box boxNorm, String startTime,
                            long ageMs, int hits, double[] velocity, FaceInfo face, List<String> zones,
                            List<Crossing> crossings, Boolean stationary, List<Dwell> dwell) {
        /** A track without a face result and zone facts. */
        public TrackInfo(String id, String label, double score, double topScore, Box boxNorm, String startTime,
                         long ageMs, int hits, double[] velocity) {
            this(id, label, score, topScore, boxNorm, startTime, ageMs, hits, velocity, null, null, null, null, null);
        }

        /** The same track with a face result. */
        public TrackInfo withFace(FaceInfo f) {
            return new TrackInfo(id, label, score, topScore, boxNorm, startTime, ageMs, hits, velocity, f, zones, crossings, stationary, dwell);
        }

        /** The same track with zone facts (null leaves a field out). */
        public TrackInfo withZones(List<String> z, List<Crossing> c) {
            return new TrackInfo(id, label, score, topScore, boxNorm, startTime, ageMs, hits, velocity, face, z, c, stationary, dwell);
        }

        /** The same track with dwell alerts (null leaves the field out). */
        public TrackInfo withDwell(List<Dwell> d) {
            return new TrackInfo(id, label, score, topScore, boxNorm, startTime, ageMs, hits, velocity, face, zones, crossings, stationary, d);
        }
    }

    /**
     * Time a track spent in a zone: in {@code track.dwell} the length of the current stay when it reached the zone's
     * {@code dwell-alert-s}; in {@code summary.dwell} the total over all the track's stays in the zone.
     *
     * @param zone    zone name from the configuration
     * @param seconds seconds of frame time (from the first to the last frame inside), 2 decimals, &gt;= 0
     */
    @RegisterForReflection
    @JsonPropertyOrder({"zone", "seconds"})
    public record Dwell(String zone, double seconds) { }

    /**
     * One crossing of a counting line.
     *
     * @param line      line name from the configuration
     * @param direction {@code in} (towards the right-hand side of the line's first-to-second point direction, image
     *                  coordinates with y down) or {@code out}
     * @param time      RFC 3339 time of the first frame on the new side
     */
    @RegisterForReflection
    @JsonPropertyOrder({"line", "direction", "time"})
    public record Crossing(String line, String direction, String time) { }

    /**
     * Face recognition result of a person track: {@code {"identity":"alice","score":0.71,"attempts":3}} when the
     * track matched an enrolled identity, {@code {"identity":null,"attempts":2}} while it is unknown. Never an
     * image; an embedding only when {@code edgewatch.faces.publish-embeddings=true}.
     *
     * @param identity  enrolled identity, or null (unknown)
     * @param score     quality-weighted mean cosine similarity -1..1 that decided the identity (null when unknown)
     * @param attempts  faces of this track embedded and compared so far
     * @param embedding the last embedding, only when publishing embeddings is enabled
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"identity", "score", "attempts", "embedding"})
    public record FaceInfo(@JsonInclude(JsonInclude.Include.ALWAYS) String identity, Double score, Integer attempts,
                           FaceEmbedding embedding) { }

    /**
     * An embedding published for central matching (opt-in).
     *
     * @param model   embedding model id from its manifest
     * @param version model version from its manifest
     * @param vector  L2-normalised embedding, 4 decimals
     */
    @RegisterForReflection
    public record FaceEmbedding(String model, String version, float[] vector) { }

    /**
     * Consolidated facts of an ended track (Axis-style end-of-track message).
     *
     * @param startTime  RFC 3339 time of the first detection
     * @param endTime    RFC 3339 time of the last detection
     * @param durationMs endTime - startTime, ms
     * @param topScore   best detection score 0..1
     * @param hits       frames in which the object was detected
     * @param path       sampled centre positions, oldest first
     * @param lastBoxNorm filtered box at the last frame the object was detected, normalized
     * @param reason     {@code lost} (not seen for max-missed-frames), {@code stream-end} (the source ended or the frame
     *                   limit was reached) or {@code shutdown} (the agent was stopped)
     * @param zones      every zone the track entered, in order of first entry; only on cameras with zones
     * @param crossings  every line crossing of the track, oldest first; only on cameras with lines
     * @param clothing   dominant clothing colours (torso, legs) from the fixed palette, when the tracker's appearance
     *                   cue decided them and {@code edgewatch.events.clothing-colours} is on; absent otherwise
     * @param dwell      time spent in each zone of {@code zones}, same order, summed over the track's stays; only on
     *                   cameras with zones
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(String startTime, String endTime, long durationMs, double topScore, int hits,
                          List<PathPoint> path, Box lastBoxNorm, String reason, List<String> zones,
                          List<Crossing> crossings, ClothingInfo clothing, List<Dwell> dwell) {
        /** A summary without zone facts and clothing colours. */
        public Summary(String startTime, String endTime, long durationMs, double topScore, int hits,
                       List<PathPoint> path, Box lastBoxNorm, String reason) {
            this(startTime, endTime, durationMs, topScore, hits, path, lastBoxNorm, reason, null, null, null, null);
        }

        /** The same summary with zone facts (null leaves a field out). */
        public Summary withZones(List<String> z, List<Crossing> c) {
            return new Summary(startTime, endTime, durationMs, topScore, hits, path, lastBoxNorm, reason, z, c, clothing, dwell);
        }

        /** The same summary with clothing colours (null leaves the field out). */
        public Summary withClothing(ClothingInfo c) {
            return new Summary(startTime, endTime, durationMs, topScore, hits, path, lastBoxNorm, reason, zones, crossings, c, dwell);
        }

        /** The same summary with the time spent in each zone (null leaves the field out). */
        public Summary withDwell(List<Dwell> d) {
            return new Summary(startTime, endTime, durationMs, topScore, hits, path, lastBoxNorm, reason, zones, crossings, clothing, d);
        }
    }

    /**
     * Dominant clothing colours of a person track: {@code {"upper":{"colour":"blue","confidence":0.62},
     * "lower":{"colour":"black","confidence":0.71}}}. A half that was not decided is left out.
     *
     * @param upper torso colour, or null
     * @param lower legs colour, or null
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"upper", "lower"})
    public record ClothingInfo(ColourInfo upper, ColourInfo lower) { }

    /**
     * One half's colour.
     *
     * @param colour     palette name: black, grey, white, brown, red, orange, yellow, green, cyan, blue, purple, pink
     * @param confidence mean share 0..1 of the half's sampled pixels in that colour over the track, 2 decimals
     */
    @RegisterForReflection
    @JsonPropertyOrder({"colour", "confidence"})
    public record ColourInfo(String colour, double confidence) { }

    /**
     * @param t RFC 3339 time
     * @param x normalized centre x, 4 decimals
     * @param y normalized centre y, 4 decimals
     */
    @RegisterForReflection
    public record PathPoint(String t, double x, double y) { }

    /** A normalized box with 4 decimals (about 0.1 pixel on a 1080p frame). */
    @RegisterForReflection
    @JsonPropertyOrder({"xMin", "yMin", "xMax", "yMax"})
    public record Box(double xMin, double yMin, double xMax, double yMax) { }
}
