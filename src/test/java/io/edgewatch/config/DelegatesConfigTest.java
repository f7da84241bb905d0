package io.edgewatch.config;

import io.edgewatch.inference.Acceleration;
import io.edgewatch.inference.DelegateMode;
import io.edgewatch.inference.DelegateSpec;
import io.edgewatch.inference.FallbackPolicy;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code edgewatch.delegates.*} read by SmallRye Config (the library Quarkus uses) and turned into per-model specs. */
class DelegatesConfigTest {

    private static DelegatesConfig read(Map<String, String> props) {
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(DelegatesConfig.class)
                .withSources(new PropertiesConfigSource(props, "test", 500)).build();
        return c.getConfigMapping(DelegatesConfig.class);
    }

    @Test
    void modelEntryBecomesASpec() {
        DelegatesConfig c = read(Map.of(
                "edgewatch.delegates.warmup-grace-ms", "90000",
                "edgewatch.delegates.models.ssd-mobilenet-v2-coco-edgetpu.delegate", "external",
                "edgewatch.delegates.models.ssd-mobilenet-v2-coco-edgetpu.library", "libedgetpu.so.1",
                "edgewatch.delegates.models.ssd-mobilenet-v2-coco-edgetpu.options.device", "usb:0",
                "edgewatch.delegates.models.ssd-mobilenet-v2-coco-edgetpu.fallback", "fail",
                "edgewatch.delegates.models.ssd-mobilenet-v2-coco-edgetpu.cpu-model", "models-tflite/ssd-mobilenet-v2-coco.manifest.json",
                "edgewatch.delegates.models.ssd-mobilenet-v2-coco-edgetpu.golden-quantized-steps", "2"));
        assertThat(c.warmupGraceMs()).isEqualTo(90_000);
        DelegateSpec s = c.specFor("ssd-mobilenet-v2-coco-edgetpu", 3, Acceleration.XNNPACK);
        assertThat(s.mode()).isEqualTo(DelegateMode.EXTERNAL);
        assertThat(s.threads()).isEqualTo(3);
        assertThat(s.library()).contains("libedgetpu.so.1");
        assertThat(s.options()).containsExactly(Map.entry("device", "usb:0"));
        assertThat(s.fallback()).isEqualTo(FallbackPolicy.FAIL);
        assertThat(s.cpuModel()).contains(Path.of("models-tflite/ssd-mobilenet-v2-coco.manifest.json"));
        assertThat(s.goldenCheck()).isTrue();
        assertThat(s.tolerance().quantizedSteps()).isEqualTo(2);
        assertThat(s.measureInvokes()).isEqualTo(20);
    }

    @Test
    void modelWithoutEntryKeepsTheDetectorsCpuSettings() {
        DelegateSpec s = read(Map.of()).specFor("ssd-mobilenet-v2-coco", 2, Acceleration.CPU);
        assertThat(s.mode()).isEqualTo(DelegateMode.CPU);
        assertThat(s.goldenCheck()).isFalse();
    }

    @Test
    void externalWithoutLibraryNamesTheKey() {
        DelegatesConfig c = read(Map.of("edgewatch.delegates.models.m1.delegate", "external"));
        assertThatThrownBy(() -> c.specFor("m1", 2, Acceleration.XNNPACK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("edgewatch.delegates.models.m1.delegate=external needs edgewatch.delegates.models.m1.library"
                        + " (a path or a soname such as libedgetpu.so.1)");
    }
}
