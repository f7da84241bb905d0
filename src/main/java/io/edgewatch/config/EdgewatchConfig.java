package io.edgewatch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's whole configuration, prefix {@code edgewatch}, read from {@code application.properties}, an
 * external {@code config/application.properties}, environment variables ({@code EDGEWATCH_DEVICE_ID}) or system
 * properties. A wrong type, an out-of-range value or an unknown {@code edgewatch.*} key stops start-up with a
 * message naming the key. Reference: README.md, section "Configuration".
 */
@ConfigMapping(prefix = "edgewatch")
public interface EdgewatchConfig {

    /** Device id, the second topic level; letters, digits, '-' and '_'. */
    @WithDefault("edgewatch-dev")
    @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be 1..64 letters, digits, '-' or '_', was '${validatedValue}'")
    String deviceId();

    /** Cameras by id ({@code edgewatch.cameras.<id>.source=...}). */
    Map<@Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "camera ids must be 1..64 letters, digits, '-' or '_' (a topic level), was '${validatedValue}'") String, Camera> cameras();

    Detector detector();

    Tracker tracker();

    Events events();

    Mqtt mqtt();

    /** One camera. */
    interface Camera {
        /** File path, rtsp://, rtsps:// or https:// URL (other FFmpeg URLs too) or V4L2 device path. */
        String source();

        /** Whether the camera is processed. */
        @WithDefault("true")
        @WithConverter(StrictBooleanConverter.class)
        boolean enabled();

        /** Expected frame rate, Hz (health compares received fps to it). */
        @WithDefault("10")
        @DecimalMin("0.1") @DecimalMax("240")
        double expectedFps();

        /** RTSP transport: tcp or udp. */
        @WithDefault("tcp")
        @Pattern(regexp = "tcp|udp", message = "must be tcp or udp, was '${validatedValue}'")
        String rtspTransport();

        /** Open time-out, ms. */
        @WithDefault("10000")
        @Min(100) @Max(600000)
        long openTimeoutMs();

        /** Read time-out, ms. */
        @WithDefault("10000")
        @Min(100) @Max(600000)
        long readTimeoutMs();

        /**
         * TLS sources ({@code rtsps://}, {@code https://}, {@code tls://}): check the camera's certificate (chain to a
         * trusted CA, validity, host name); false accepts any certificate (warned once per camera).
         */
        @WithDefault("true")
        @WithConverter(StrictBooleanConverter.class)
        boolean tlsVerify();

        /** PEM CA certificate(s) trusted for this camera's TLS certificate instead of the system trust store. */
        Optional<Path> caFile();

        /** File replay speed: 0 = unpaced (every frame analysed), otherwise a multiple of the file's frame rate. */
        @WithDefault("0")
        @DecimalMin("0") @DecimalMax("100")
        double replaySpeed();

        /** Polygon zones by name ({@code edgewatch.cameras.<id>.zones.<name>.polygon=x0,y0,x1,y1,x2,y2,...}). */
        Map<@Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "zone names must be 1..64 letters, digits, '-' or '_', was '${validatedValue}'") String, ZoneConfig> zones();

        /** Counting lines by name ({@code edgewatch.cameras.<id>.lines.<name>.points=xA,yA,xB,yB}). */
        Map<@Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "line names must be 1..64 letters, digits, '-' or '_', was '${validatedValue}'") String, LineConfig> lines();

        /** Box point that decides zones and crossings: bottom-center (feet) or center. */
        @WithDefault("bottom-center")
        @Pattern(regexp = "bottom-center|center", message = "must be bottom-center or center, was '${validatedValue}'")
        String zoneAnchor();

        /** Consecutive detected frames on the new side before a zone entry, exit or line crossing counts. */
        @WithDefault("3")
        @Min(1) @Max(100)
        int zoneInertiaFrames();

        /**
         * Detection rounds per second of stream time (Frigate's detect fps); 0 = every decoded frame. Capture still
         * decodes at the source rate. Above the source rate it means every frame (logged once).
         */
        @WithDefault("5")
        @DecimalMin(value = "0", message = "must be 0 (every frame) .. 120, was ${validatedValue}") @DecimalMax(value = "120", message = "must be 0 (every frame) .. 120, was ${validatedValue}")
        double detectFps();

        /** Motion detection and gating. */
        MotionConfig motion();

        /** Regions sent to the detector. */
        RegionsConfig regions();

        /** A confirmed track that has not moved this long is stationary (re-checked, not re-detected), s; 0 = never. */
        @WithDefault("10")
        @DecimalMin("0") @DecimalMax("86400")
        double stationaryAfterS();

        /** A stationary track is re-checked this often, or when motion touches its box, s. */
        @WithDefault("10")
        @DecimalMin("0.1") @DecimalMax("86400")
        double stationaryIntervalS();
    }

    /** Motion detection of one camera (Frigate's motion settings); see MotionSettings in the motion package. */
    interface MotionConfig {
        /** Detect only where something moves or is tracked (plus a full-frame pass now and then); false = whole frame every round. */
        @WithDefault("true")
        @WithConverter(StrictBooleanConverter.class)
        boolean enabled();

        /** Grey-level difference from the background that counts a pixel as changed, 1..254. */
        @WithDefault("30")
        @Min(1) @Max(254)
        int threshold();

        /** Least area of a changed region, pixels of the 320 px wide motion frame. */
        @WithDefault("25")
        @Min(0) @Max(100000)
        int contourArea();

        /** Background running-average rate per analysed frame, (0, 1]. */
        @WithDefault("0.01")
        @DecimalMin(value = "0.0001") @DecimalMax("1")
        double frameAlpha();

        /** Fraction of the frame changing at once that means a global change (lights, IR): re-learn, no motion. */
        @WithDefault("0.8")
        @DecimalMin(value = "0.01") @DecimalMax("1")
        double lightningThreshold();

        /** Motion masks by name ({@code ...motion.masks.<name>.polygon=x0,y0,...}, normalized): never motion. */
        Map<@Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "mask names must be 1..64 letters, digits, '-' or '_', was '${validatedValue}'") String, MaskConfig> masks();
    }

    /** Region planning of one camera; see RegionPlanner in the detect package. */
    interface RegionsConfig {
        /** Most regions per detection round. */
        @WithDefault("4")
        @Min(1) @Max(32)
        int maxRegions();

        /** Largest ratio of source to model pixels a merged region may reach. */
        @WithDefault("2.6")
        @DecimalMin("1") @DecimalMax("16")
        double maxDownscale();

        /** Fraction of a box's size added on each side before it goes into a region. */
        @WithDefault("0.25")
        @DecimalMin("0") @DecimalMax("2")
        double padding();

        /**
         * A full-frame round at least this often, finding what appeared without motion, s (default 10, as often as a
         * stationary track is re-checked: on a still scene these rounds are most of the detector's work).
         */
        @WithDefault("10")
        @DecimalMin("0.1") @DecimalMax("3600")
        double fullFrameIntervalS();
    }

    /** One polygon zone of a camera. */
    interface ZoneConfig {
        /** Vertices {@code x0,y0,x1,y1,...}, 3 to 64 points, normalized 0..1 (origin top-left). */
        @WithConverter(PolygonConverter.class)
        NormalizedPoints polygon();

        /**
         * Dwell (loitering) alert, seconds of frame time (Frigate's {@code loitering_time}): a track that stays in the
         * zone this long gets an immediate update with {@code track.dwell}, once per stay; unset = no alert.
         */
        Optional<@DecimalMin(value = "0", inclusive = false) @DecimalMax("86400") Double> dwellAlertS();
    }

    /** One motion mask of a camera. */
    interface MaskConfig {
        /** Vertices {@code x0,y0,x1,y1,...}, 3 to 64 points, normalized 0..1 (origin top-left): never motion inside. */
        @WithConverter(MaskPolygonConverter.class)
        NormalizedPoints polygon();
    }

    /** One counting line of a camera. */
    interface LineConfig {
        /** Points A and B {@code xA,yA,xB,yB}, normalized 0..1; crossing towards the right-hand side of A to B is "in". */
        @WithConverter(LineConverter.class)
        NormalizedPoints points();
    }

    /** Object detector. */
    interface Detector {
        /** Model manifest (JSON) of the detector. */
        @WithDefault("models-tflite/ssd-mobilenet-v2-coco.manifest.json")
        Path manifest();

        /**
         * CPU threads per interpreter; unset = the box's cores divided by the interpreters, so all cameras together
         * use as many threads as there are cores.
         */
        @Min(value = 1, message = "must be 1..64, was ${validatedValue}") @Max(value = 64, message = "must be 1..64, was ${validatedValue}")
        java.util.OptionalInt threads();

        /**
         * Interpreters of the shared detector, each with its own worker thread, 1..16; unset = one per camera up to
         * the box's cores (one camera: one interpreter with every core; many cameras: single-thread interpreters,
         * which use the CPU better than one interpreter's threads do). A delegate (NPU) always gets one interpreter.
         */
        @Min(value = 1, message = "must be 1..16, was ${validatedValue}") @Max(value = 16, message = "must be 1..16, was ${validatedValue}")
        java.util.OptionalInt interpreters();

        /**
         * Interpreters for {@code cameras} cameras: {@code interpreters} when set; else, when every camera is a file
         * analysed as fast as possible without motion gating ({@code throughput}: throughput, not latency, counts; see
         * {@code CameraPipeline.throughput}), one single-thread
         * interpreter per core, which several rounds in flight keep busy together (two single-thread invokes on two
         * cores do more per second than one two-thread invoke, whose threads wait for each other and for the decoder);
         * else min(cameras, cores); at most 16.
         */
        static int interpretersFor(Detector d, int cameras, boolean throughput) {
            int cores = Runtime.getRuntime().availableProcessors();
            return d.interpreters().orElse(Math.max(1, Math.min(16, throughput ? cores : Math.min(cameras, cores))));
        }

        /** Threads per interpreter with {@code interpreters} of them: {@code threads} when set, else cores / interpreters (at least 1). */
        static int threadsPerInterpreter(Detector d, int interpreters) {
            return d.threads().orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / interpreters));
        }

        /** Threads of a single interpreter (tools that run one model): {@code threads} when set, else the box's cores. */
        static int threadsPerInterpreter(Detector d) {
            return threadsPerInterpreter(d, d.interpreters().orElse(1));
        }

        /** xnnpack (default) or cpu (reference kernels). */
        @WithDefault("xnnpack")
        @Pattern(regexp = "xnnpack|cpu", message = "must be xnnpack or cpu, was '${validatedValue}'")
        String acceleration();

        /** Class allow-list, at least one label (SmallRye Config refuses an empty value as not set). */
        @WithDefault("person")
        List<String> labels();

        /** Default minimum detection score, 0..1. */
        @WithDefault("0.5")
        @DecimalMin("0") @DecimalMax("1")
        double minScore();

        /** Minimum score of a weak detection, which may keep a track alive but never starts one (ByteTrack), 0..1. */
        @WithDefault("0.3")
        @DecimalMin("0") @DecimalMax("1")
        double weakScore();

        /** Per-label minimum score, e.g. {@code edgewatch.detector.min-score-by-label.car=0.6}. */
        Map<String, @DecimalMin("0") @DecimalMax("1") Double> minScoreByLabel();
    }

    /** Multi-object tracker. */
    interface Tracker {
        /** Minimum IoU to associate a detection with a track, 0..1. */
        @WithDefault("0.3")
        @DecimalMin("0.01") @DecimalMax("0.99")
        double minIou();

        /** Minimum IoU to associate a confirmed track with a weak detection, 0..1. */
        @WithDefault("0.5")
        @DecimalMin("0.01") @DecimalMax("0.99")
        double weakMinIou();

        /** Boxes are enlarged by this fraction on each side before association (buffered IoU), 0..2. */
        @WithDefault("0.5")
        @DecimalMin("0") @DecimalMax("2")
        double matchBuffer();

        /** Growth of the buffer per missed frame of a track (buffer x (1 + growth x missed), at most 2), 0..10. */
        @WithDefault("1.0")
        @DecimalMin("0") @DecimalMax("10")
        double matchBufferGrowth();

        /** An unmatched detection overlapping a matched one by this IoU is a duplicate box and starts no track. */
        @WithDefault("0.45")
        @DecimalMin("0.05") @DecimalMax("1")
        double duplicateIou();

        /** Consecutive hits before a track is confirmed and published. */
        @WithDefault("3")
        @Min(1) @Max(100)
        int minHits();

        /** Missed frames before a confirmed track is lost. */
        @WithDefault("15")
        @Min(0) @Max(10000)
        int maxMissedFrames();

        /** Minimum interval between path samples, ms. */
        @WithDefault("500")
        @Min(0)
        long pathSampleMs();

        /** Maximum path samples kept per track. */
        @WithDefault("32")
        @Min(2) @Max(1000)
        int maxPathSamples();

        /**
         * A confirmed track unmatched for more than {@code max-missed-frames} rounds stays re-identifiable by its
         * clothing colours for this long after it was last seen before it ends, s; 0 = ends at once.
         */
        @WithDefault("3")
        @DecimalMin("0") @DecimalMax("600")
        double reidWindowS();

        /** Appearance similarity (0..1, Bhattacharyya) a missing or coasting track needs to take a detection again. */
        @WithDefault("0.9")
        @DecimalMin("0") @DecimalMax("1")
        double reidMinSimilarity();

        /** Weight of appearance dissimilarity in the association cost (0 = IoU only), 0..2. */
        @WithDefault("0.5")
        @DecimalMin("0") @DecimalMax("2")
        double appearanceWeight();

        /** How far a missing person may have walked, box heights per second (plus one box height). */
        @WithDefault("1.5")
        @DecimalMin("0.01") @DecimalMax("100")
        double reidMaxSpeed();
    }

    /** Event publication. */
    interface Events {
        /** First topic level. */
        @WithDefault("edgewatch")
        @Pattern(regexp = "[A-Za-z0-9_/-]{1,64}", message = "must be letters, digits, '-', '_' or '/', was '${validatedValue}'")
        String topicPrefix();

        /** Periodic update interval of a confirmed track, ms (0 = only on material change). */
        @WithDefault("5000")
        @Min(0)
        long updateIntervalMs();

        /** Minimum interval between two updates of one track, ms. */
        @WithDefault("1000")
        @Min(0)
        long minUpdateIntervalMs();

        /** Material change: the box centre moved this far (normalized, 0.1 = a tenth of the frame) since the last event. */
        @WithDefault("0.1")
        @DecimalMin("0.001") @DecimalMax("1.5")
        double materialMove();

        /**
         * {@code end} summaries carry the dominant clothing colours (torso, legs) from the fixed palette, when the
         * tracker's appearance cue decided them (needs {@code edgewatch.tracker.reid-window-s} or
         * {@code appearance-weight} above 0).
         */
        @WithDefault("true")
        @WithConverter(StrictBooleanConverter.class)
        boolean clothingColours();
    }

    /** MQTT broker; with no URL events go to standard output as JSON lines. */
    interface Mqtt {
        /**
         * Broker URL, e.g. tcp://localhost:1883 or ssl://broker:8883, or a comma-separated list of the nodes of a broker
         * cluster (tried in order, the next one when the node in use dies; all encrypted or all plain).
         */
        Optional<String> url();

        /** Client id; defaults to edgewatch-&lt;device-id&gt;. */
        Optional<String> clientId();

        Optional<String> username();

        Optional<String> password();

        /** File holding the password (systemd credential). */
        Optional<Path> passwordFile();

        /** PEM CA certificate(s) for TLS. */
        Optional<Path> caFile();

        /** PEM client certificate. */
        Optional<Path> certFile();

        /** PEM PKCS#8 client key. */
        Optional<Path> keyFile();

        @WithDefault("1")
        @Min(0) @Max(2)
        int qos();

        @WithDefault("30")
        @Min(5) @Max(3600)
        int keepAliveS();
    }
}
