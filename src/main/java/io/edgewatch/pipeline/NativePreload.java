package io.edgewatch.pipeline;

/**
 * Loads OpenCV (core, imgproc) and FFmpeg on a background thread while the agent's start loads and checks the
 * detector model (sha256, TensorFlow Lite, XNNPACK), so the golden check's first tensor and the first camera open find
 * them loaded instead of loading them one after the other on the start path.
 *
 * <p>Measured on this project's 2-core machine (2026-12-07, AOT cache, vtest.avi replayed at 10 fps, 7 alternating
 * starts per variant, median start to the first event on standard output): 3.01 s with this preload against 3.33 s
 * without (0.90). Started earlier, in {@code main} while Quarkus boots, it gained nothing (3.35 s): the boot then took
 * 1.75 s instead of 1.20 s, as the preload competed with it (and with the JIT) for the two cores and the class loader.
 *
 * <p>JavaCPP already loads presets from several threads at once in a normal run (each camera's capture thread opens
 * FFmpeg while pipeline threads touch OpenCV): the JVM's class-initialisation lock makes a thread that needs a library
 * the preload is loading wait for it, and JavaCPP's {@code Loader.loadLibrary} is synchronized. A failure here is only
 * kept: the same load on the start path fails again and reports it where it matters (model or camera, with its name).
 * Nothing is logged from the preload thread itself; {@link #outcome(long)} says what happened, and the agent logs it
 * once its cameras have started.
 */
public final class NativePreload {
    private static volatile String outcome = "not started";
    private static volatile Thread thread;

    /**
     * Switch: the environment's {@code EDGEWATCH_NATIVE_PRELOAD=false} (or {@code off}, {@code no}, {@code 0}, as the
     * launcher's other switches take {@code off}) turns it off. No system property: {@code edgewatch.*} is the
     * configuration's namespace, where an unknown key stops start-up.
     */
    public static final String SWITCH = "EDGEWATCH_NATIVE_PRELOAD";

    private NativePreload() {
    }

    /**
     * Starts the preload on a daemon thread named {@code native-preload}, unless switched off.
     *
     * @return the thread, or null when switched off
     */
    public static Thread start() {
        io.edgewatch.util.JavaCppPlatform.withoutExtensions(); // Main does it first; here for agents started in-process (tests)
        if (switchedOff(System.getenv(SWITCH))) {
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

    /** Loads in the order the start path needs them: OpenCV (the golden check's pre-processing), then FFmpeg (camera). */
    static void load() {
        long t0 = System.nanoTime();
        try {
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

    /** True when the switch's value turns the preload off: {@code false}, {@code off}, {@code no} or {@code 0}, any case. */
    static boolean switchedOff(String value) {
        return value != null && java.util.Set.of("false", "off", "no", "0").contains(value.strip().toLowerCase(java.util.Locale.ROOT));
    }

    /** True when {@link #outcome(long)} reports a failure. */
    public static boolean failed() {
        return outcome.startsWith("native preload failed");
    }
}
