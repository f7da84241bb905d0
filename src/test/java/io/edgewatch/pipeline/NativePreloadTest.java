package io.edgewatch.pipeline;

import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The background load of the natives (what the agent's start begins with): switched off by its environment switch, and
 * otherwise it really loads OpenCV and FFmpeg (JavaCPP lists them as loaded) and says how long it took.
 */
class NativePreloadTest {

    @Test
    void switchValues() {
        // EDGEWATCH_NATIVE_PRELOAD: the spellings an operator uses for the launcher's other switches (EDGEWATCH_AOT=off)
        for (String off : new String[]{"false", "FALSE", "off", "Off", "no", "0", " off "}) {
            assertThat(NativePreload.switchedOff(off)).as(off).isTrue();
        }
        for (String on : new String[]{"true", "on", "yes", "1", ""}) {
            assertThat(NativePreload.switchedOff(on)).as(on).isFalse();
        }
        assertThat(NativePreload.switchedOff(null)).as("not set").isFalse();
    }

    @Test
    void loadsThePreprocessingAndDecoderNatives() {
        Thread t = NativePreload.start();
        assertThat(t).isNotNull();
        assertThat(t.getName()).isEqualTo("native-preload");
        assertThat(t.isDaemon()).isTrue();
        String outcome = NativePreload.outcome(60_000);
        assertThat(outcome).matches("native libraries preloaded in \\d+ ms");
        assertThat(NativePreload.failed()).isFalse();
        assertThat(Loader.getLoadedLibraries().keySet())
                .anySatisfy(k -> assertThat(k).contains("opencv_imgproc"))
                .anySatisfy(k -> assertThat(k).contains("avcodec"))
                .anySatisfy(k -> assertThat(k).contains("swscale"));
    }
}
