package io.edgewatch.cli;

import io.edgewatch.testsupport.TestDelegates;
import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent reads {@code edgewatch.delegates.models.<id>.*} and applies the fallback policy end to end: the test
 * plugin takes none of the quantized SSD's nodes (it only runs float32 ops), so policy {@code fail} refuses to start
 * (exit 2) and the reason is printed. Also {@code models check} on the Edge TPU model without its delegate.
 */
@QuarkusMainTest
@TestProfile(DelegateConfigMainTest.FailPolicy.class)
class DelegateConfigMainTest {

    /** The detector configured with the test delegate and fallback policy 'fail'. */
    public static class FailPolicy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "edgewatch.detector.manifest", TestPaths.detectorManifest().toString(),
                    "edgewatch.delegates.models.ssd-mobilenet-v2-coco.delegate", "external",
                    "edgewatch.delegates.models.ssd-mobilenet-v2-coco.library", TestDelegates.correct().toString(),
                    "edgewatch.delegates.models.ssd-mobilenet-v2-coco.options.ops", "CONCATENATION",
                    "edgewatch.delegates.models.ssd-mobilenet-v2-coco.fallback", "fail",
                    "quarkus.http.port", "0");
        }
    }

    @Test
    void fallbackFailRefusesToStartWithTheReason(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("run", "--source", TestPaths.vtest().toString(), "--max-frames", "3");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.getErrorOutput()).contains("model ssd-mobilenet-v2-coco: delegate " + TestDelegates.correct()
                + " took none of the 99 nodes (no op it supports); fallback policy is 'fail', so the model is not started");
    }

    @Test
    void modelsCheckPrintsJsonAndRefusesAnEdgeTpuModelWithoutItsDelegate(QuarkusMainLauncher launcher) {
        LaunchResult edgetpu = launcher.launch("models", "check", "--model", "ssd-mobilenet-v2-coco-edgetpu");
        assertThat(edgetpu.exitCode()).isEqualTo(2);
        assertThat(edgetpu.getErrorOutput()).contains("is compiled for the Edge TPU (custom op edgetpu-custom-op)");

        LaunchResult ssd = launcher.launch("models", "check", "--model", "ssd-mobilenet-v2-coco", "--invokes", "3",
                "--delegate", TestDelegates.correct().toString(), "--delegate-option", "ops=CONCATENATION");
        assertThat(ssd.exitCode()).isEqualTo(1);
        // standard output carries the JSON document (the test launcher also captures log lines there)
        String json = ssd.getOutputStream().stream().filter(l -> l.startsWith("{\"model\":")).findFirst().orElseThrow();
        assertThat(json).startsWith("{\"model\":\"ssd-mobilenet-v2-coco\"")
                .contains("\"inputs\":[{\"name\":\"normalized_input_image_tensor\",\"type\":\"uint8\",\"shape\":[1,300,300,3]")
                .contains("\"delegateApplied\":false")
                .contains("\"nodesDelegated\":0,\"nodesTotal\":99,\"partitions\":0");

        // a delegate option is key=value: a bare key was taken as an empty value and passed to the plugin
        LaunchResult bare = launcher.launch("models", "check", "--model", "ssd-mobilenet-v2-coco", "--invokes", "3",
                "--delegate", TestDelegates.correct().toString(), "--delegate-option", "novalue");
        assertThat(bare.exitCode()).isEqualTo(2);
        assertThat(bare.getErrorOutput()).contains("--delegate-option").contains("novalue").contains("KEY=VALUE");
    }
}
