package io.edgewatch.detect;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DetectionMerger} drops a box drawn around a group of people, and only such a box. */
class GroupBoxTest {
    private static DetectionMerger.Candidate person(double score, double x0, double y0, double x1, double y1) {
        return new DetectionMerger.Candidate(new Detection(0, "person", score, new BoxNorm(x0, y0, x1, y1)), false);
    }

    @Test
    void aBoxAroundTwoSmallPeopleIsDropped() {
        var group = person(0.6, 0.05, 0.05, 0.95, 0.85);
        var a = person(0.9, 0.10, 0.10, 0.20, 0.40);
        var b = person(0.8, 0.60, 0.40, 0.70, 0.70);
        List<Detection> merged = DetectionMerger.merge(List.of(group, a, b));
        assertThat(merged).extracting(Detection::score).containsExactly(0.9, 0.8);
    }

    @Test
    void oneSmallPersonInsideABigBoxIsNotAGroup() {
        var near = person(0.6, 0.05, 0.05, 0.95, 0.85);
        var far = person(0.9, 0.10, 0.10, 0.20, 0.40);
        assertThat(DetectionMerger.merge(List.of(near, far))).hasSize(2);
    }

    @Test
    void peopleLargerThanTheMemberShareDoNotMakeAGroup() {
        // a near person (0.3 x 0.8) overlapping two people of more than 0.15 of its area: all three stay
        var near = person(0.9, 0.30, 0.10, 0.60, 0.90);
        var b = person(0.8, 0.30, 0.20, 0.45, 0.80);
        var c = person(0.7, 0.45, 0.20, 0.60, 0.80);
        assertThat(DetectionMerger.merge(List.of(near, b, c))).hasSize(3);
    }

    @Test
    void otherLabelsAreNotMembers() {
        var group = new DetectionMerger.Candidate(new Detection(1, "car", 0.6, new BoxNorm(0.05, 0.05, 0.95, 0.85)), false);
        var a = person(0.9, 0.10, 0.10, 0.20, 0.40);
        var b = person(0.8, 0.60, 0.40, 0.70, 0.70);
        assertThat(DetectionMerger.merge(List.of(group, a, b))).hasSize(3);
    }
}
