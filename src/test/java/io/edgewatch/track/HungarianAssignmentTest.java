package io.edgewatch.track;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HungarianAssignmentTest {

    @Test
    void solvesSquareMatrixOptimally() {
        // classic example: optimum is row0->col1 (1), row1->col0 (2), row2->col2 (2) = 5; greedy would take 1 then be forced worse
        double[][] cost = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        int[] a = HungarianAssignment.solve(cost);
        assertThat(a).containsExactly(1, 0, 2);
    }

    @Test
    void beatsGreedyWhereGreedyFails() {
        // greedy picks (0,0)=0.1 first, leaving (1,1)=0.9: total 1.0; optimal (0,1)+(1,0) = 0.2+0.3 = 0.5
        double[][] cost = {{0.1, 0.2}, {0.3, 0.9}};
        assertThat(HungarianAssignment.solve(cost)).containsExactly(1, 0);
    }

    @Test
    void moreRowsThanColumnsLeavesRowsUnassigned() {
        double[][] cost = {{5}, {1}, {3}};
        assertThat(HungarianAssignment.solve(cost)).containsExactly(-1, 0, -1);
    }

    @Test
    void moreColumnsThanRows() {
        double[][] cost = {{5, 4, 0.5}};
        assertThat(HungarianAssignment.solve(cost)).containsExactly(2);
    }

    @Test
    void emptyInputs() {
        assertThat(HungarianAssignment.solve(new double[0][0])).isEmpty();
        assertThat(HungarianAssignment.solve(new double[][]{{}, {}})).containsExactly(-1, -1);
    }
}
