package io.edgewatch.face;

import io.edgewatch.inference.AcceleratedModelLoader;
import io.edgewatch.inference.DelegateMode;
import io.edgewatch.inference.DelegateSpec;
import io.edgewatch.inference.FallbackPolicy;
import io.edgewatch.inference.GoldenTolerance;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.LoadedModel;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.inference.WarmupListener;
import io.edgewatch.testsupport.TestDelegates;
import io.edgewatch.testsupport.TestPaths;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Face detections on real photos with the BlazeFace short-range model when a delegate on TFLite's opaque delegate API
 * (native/opaque_delegate.c) computes its CONCATENATION and ADD nodes: the same faces as on the CPU.
 */
class FaceDetectorDelegateTest {

    @Test
    void opaqueDelegateFindsTheSameFacesAsTheCpu() {
        ModelManifest manifest = ModelManifest.read(TestPaths.manifest("face-detection-short-range.manifest.json"), FaceTestSupport.MAPPER);
        DelegateSpec spec = new DelegateSpec(DelegateMode.EXTERNAL, 2, Optional.of(TestDelegates.opaque().toString()),
                Map.of("ops", "ADD,CONCATENATION"), FallbackPolicy.FAIL, Optional.empty(), true, GoldenTolerance.defaults(), 3);
        LoadedModel delegated = new AcceleratedModelLoader(FaceTestSupport.MAPPER, WarmupListener.NONE).load(manifest, spec);
        assertThat(delegated.report().delegateApplied()).isTrue();
        assertThat(delegated.report().nodesDelegated()).isPositive();
        assertThat(delegated.report().golden().status()).isEqualTo("passed");
        try (FaceDetector onDelegate = new FaceDetector(delegated.model(), 0.5);
             FaceDetector onCpu = new FaceDetector(TfliteModel.load(manifest, InterpreterOptions.xnnpack(2)), 0.5)) {
            for (String photo : new String[] {"obama.jpg", "biden.jpg", "grace_hopper.bmp"}) {
                try (Mat image = FaceEnrolment.read(TestPaths.sharedMedia("faces/" + photo))) {
                    List<FaceDetection> want = onCpu.detect(image);
                    List<FaceDetection> got = onDelegate.detect(image);
                    assertThat(want).as("%s has a face", photo).isNotEmpty();
                    assertThat(got).as(photo).hasSameSizeAs(want);
                    for (int i = 0; i < want.size(); i++) {
                        FaceDetection w = want.get(i);
                        FaceDetection g = got.get(i);
                        assertThat(g.score()).as("%s face %d score", photo, i).isCloseTo(w.score(), within(1e-4));
                        assertThat(new double[] {g.xMin(), g.yMin(), g.xMax(), g.yMax()}).as("%s face %d box (px)", photo, i)
                                .containsExactly(new double[] {w.xMin(), w.yMin(), w.xMax(), w.yMax()}, within(0.01));
                        assertThat(g.keypointsPx()).as("%s face %d keypoints (px)", photo, i).containsExactly(w.keypointsPx(), within(0.01));
                    }
                }
            }
        }
    }
}
