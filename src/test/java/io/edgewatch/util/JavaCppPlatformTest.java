package io.edgewatch.util;

import org.bytedeco.javacpp.ClassProperties;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the empty platform extension JavaCPP no longer adds OpenCV's CUDA libraries (none of which ships) to the
 * preload list; without it, it does. Properties are computed the way {@code Loader.load} computes them.
 */
class JavaCppPlatformTest {

    private static ClassProperties openCv() {
        Properties platform = Loader.loadProperties(Loader.getPlatform(), null); // reads the system properties every call
        return Loader.loadProperties(org.bytedeco.opencv.global.opencv_core.class, platform, true);
    }

    private static List<String> openCvPreloads() {
        return openCv().get("platform.preload");
    }

    @Test
    void emptyExtensionDropsTheCudaPreloads() {
        String before = System.getProperty(JavaCppPlatform.EXTENSION_PROPERTY);
        try {
            System.clearProperty(JavaCppPlatform.EXTENSION_PROPERTY);
            assertThat(openCvPreloads()).as("JavaCPP's default: extension platforms applied").anyMatch(l -> l.startsWith("cudart"));

            assertThat(JavaCppPlatform.withoutExtensions()).isEmpty();
            List<String> preloads = openCvPreloads();
            assertThat(preloads).noneMatch(l -> l.startsWith("cud") || l.startsWith("npp") || l.startsWith("cublas") || l.startsWith("cufft"));
            assertThat(preloads).as("OpenBLAS is still preloaded").anyMatch(l -> l.startsWith("openblas"));
            assertThat(openCv().get("platform.link")).as("and OpenCV itself linked").anyMatch(l -> l.startsWith("opencv_core"));

            System.setProperty(JavaCppPlatform.EXTENSION_PROPERTY, "-gpu");
            assertThat(JavaCppPlatform.withoutExtensions()).as("an operator's value is kept").isEqualTo("-gpu");
        } finally {
            if (before == null) {
                System.clearProperty(JavaCppPlatform.EXTENSION_PROPERTY);
            } else {
                System.setProperty(JavaCppPlatform.EXTENSION_PROPERTY, before);
            }
        }
    }
}
