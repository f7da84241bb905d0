package io.edgewatch.pipeline;

/**
 * Loads the agent's native libraries (TensorFlow Lite, OpenCV core and imgproc, FFmpeg) on a background thread while
 * Quarkus boots, so the first model load, the first tensor and the first camera open find them loaded instead of
 * loading them one after the other on the start path (measured: about 1 s of the start to the first event, see
 * README "Footprint").
 *
 * <p>JavaCPP already loads presets from several threads at once in a normal run (each camera's capture thread opens
 * FFmpeg while pipeline threads touch OpenCV): the JVM's class-initialisation lock makes a thread that needs a library
 * the preload is loading wait for it, and JavaCPP's {@code Loader.loadLibrary} is synchronized. A failure here is only
 * kept: the same load on the start path fails again and reports it where it matters (model or
 * camera, with its name). Nothing is logged from the preload thread itself (it may run before Quarkus has set up
 * logging); {@link #outcome(long)} says what happened, and the agent logs it once its cameras have started.
 */
public final class NativePreload {
    private static volatile String outcome = "not started";
    private static volatile Thread thread;

    /** Switch: {@code -Dedgewatch.native-preload=false} (or the environment's {@code EDGEWATCH_NATIVE_PRELOAD=false}) turns it off. */
    public static final String PROPERTY = "edgewatch.native-preload";

    private NativePreload() {
    }

    /**
     * Starts the preload on a daemon thread named {@code native-preload}, unless switched off.
     *
     * @return the thread, or null when switched off
     */
    public static Thread start() {
        String v = System.getProperty(PROPERTY, System.getenv().getOrDefault("EDGEWATCH_NATIVE_PRELOAD", "true"));
        if (v.equalsIgnoreCase("false")) {
            return null;
        }
        outcome = "running";
        Thread t = new Thread(NativePreload::load, "native-preload");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY);
        thread = t;
        t.start();
        return t;
    }

    /** Loads in the order the start path needs them: the detector's TFLite, OpenCV (pre-processing), FFmpeg (camera). */
    static void load() {
        long t0 = System.nanoTime();
        try {
            org.bytedeco.javacpp.Loader.load(org.bytedeco.tensorflowlite.global.tensorflowlite.class);
            org.bytedeco.javacpp.Loader.load(org.bytedeco.opencv.global.opencv_core.class);
            org.bytedeco.javacpp.Loader.load(org.bytedeco.opencv.global.opencv_imgproc.class);
            org.bytedeco.javacv.FFmpegFrameGrabber.tryLoad();
            outcome = String.format(java.util.Locale.ROOT, "native libraries preloaded in %.0f ms", (System.nanoTime() - t0) / 1e6);
        } catch (Throwable e) {
            outcome = String.format(java.util.Locale.ROOT, "native preload failed after %.0f ms (%s; the start path loads them again and reports)",
                    (System.nanoTime() - t0) / 1e6, e);
        }
    }

    /**
     * What the preload did, after waiting up to {@code waitMs} for it to end: {@code not started}, {@code running}
     * (still loading after the wait), {@code native libraries preloaded in N ms}, or why it failed.
     */
    public static String outcome(long waitMs) {
        Thread t = thread;
        if (t != null && waitMs > 0) {
            try {
                t.join(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return outcome;
    }

    /** True when {@link #outcome(long)} reports a failure. */
    public static boolean failed() {
        return outcome.startsWith("native preload failed");
    }
}
