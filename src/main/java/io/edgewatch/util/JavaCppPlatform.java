package io.edgewatch.util;

/**
 * JavaCPP's platform extension, set before any Bytedeco preset loads.
 *
 * <p>With no {@code platform.extension} given, JavaCPP's {@code Loader} also applies a preset's extension platforms
 * "in library loading mode" (its {@code ClassProperties.load}): OpenCV's {@code -gpu} entry then adds 25 CUDA, cuDNN
 * and NPP libraries to the preload list. None of them is in the jars this agent ships (the CPU builds), and each one
 * is looked for as a class-path resource under three file-name styles and every parent package, which with the AOT
 * jar's flat class path (159 jars) scans every jar each time, before {@code System.loadLibrary} fails on it too.
 * Measured (2026-12-08, AOT cache, JFR execution samples of the {@code native-preload} thread): 61 of its 73 samples
 * were in that search, and loading OpenCV and FFmpeg took 0.98 to 1.39 s.
 *
 * <p>An empty extension ({@code org.bytedeco.javacpp.platform.extension=}, JavaCPP's own system property, which
 * overrides its platform properties) keeps the CPU platform only. A value the operator set (for example {@code -gpu}
 * on a machine with the GPU builds on the class path) is left alone.
 */
public final class JavaCppPlatform {
    /** JavaCPP's system property for the platform extension ({@code Loader.loadProperties} maps it to {@code platform.extension}). */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

    private JavaCppPlatform() {
    }

    /**
     * Sets {@link #EXTENSION_PROPERTY} to the empty string unless it is set; must run before the first Bytedeco class
     * loads (JavaCPP reads its platform properties once). Idempotent.
     *
     * @return the extension in effect afterwards ({@code ""} for the plain CPU platform)
     */
    public static String withoutExtensions() {
        String v = System.getProperty(EXTENSION_PROPERTY);
        if (v == null) {
            System.setProperty(EXTENSION_PROPERTY, "");
            return "";
        }
        return v;
    }
}
