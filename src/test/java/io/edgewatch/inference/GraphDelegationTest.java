package io.edgewatch.inference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GraphDelegation#of} on small hand-made graphs for the cases the real models do not have (a delegate kernel
 * taking a node whose output nobody reads); the real-runtime counts are in ExternalDelegateTest and OpaqueDelegateTest.
 * Tensors are numbered as in a TFLite subgraph; kernel nodes come after the original nodes, as TFLite appends them.
 */
class GraphDelegationTest {

    @Test
    void nodesGoToTheKernelWhosePartitionComputesThem() {
        // t0 -> n0 -> t1 -> n1 -> t2 -> n2 -> t3 -> n3 -> t4 ; external kernel n4 took n1,n2 (t1 -> t3), XNNPACK kernel n5 took n3
        int[][] in = {{0}, {1}, {2}, {3}, {1}, {3}};
        int[][] out = {{1}, {2}, {3}, {4}, {3}, {4}};
        boolean[] kernel = {false, false, false, false, true, true};
        boolean[] external = {false, false, false, false, true, false};
        GraphDelegation g = GraphDelegation.of(in, out, kernel, external, new int[] {0, 4, 5}, 5);
        assertThat(g).isEqualTo(new GraphDelegation(4, 3, 2, 1, 1, 1));
    }

    @Test
    void aReplacedNodeWhoseOutputNobodyReadsGoesToThePartitionWhoseTensorsItReads() {
        // n0: t0 -> t1; n1: t1 -> t2; n2: t2 -> t4 (graph output); n3: t2 -> t5 (read by nobody)
        // external kernel n4 took n1, n2, n3 (reads t1, writes t4); XNNPACK kernel n5 took n0 (reads t0, writes t1)
        int[][] in = {{0}, {1}, {2}, {2}, {1}, {0}};
        int[][] out = {{1}, {2}, {4}, {5}, {4}, {1}};
        boolean[] kernel = {false, false, false, false, true, true};
        boolean[] external = {false, false, false, false, true, false};
        assertThat(GraphDelegation.of(in, out, kernel, external, new int[] {5, 4}, 6)).isEqualTo(new GraphDelegation(4, 2, 3, 1, 1, 1));
    }

    @Test
    void anUnreachedNodeThatFitsBothSidesIsNotClaimedForTheExternalDelegate() {
        // n0: t0 -> t1; n1: t1 -> t2 (graph output); n2: t1 -> t3 (read by nobody)
        // external kernel n3 took n1 (reads t1); XNNPACK kernel n4 took n0 (writes t1): n2 could be in either
        int[][] in = {{0}, {1}, {1}, {1}, {0}};
        int[][] out = {{1}, {2}, {3}, {2}, {1}};
        boolean[] kernel = {false, false, false, true, true};
        boolean[] external = {false, false, false, true, false};
        assertThat(GraphDelegation.of(in, out, kernel, external, new int[] {4, 3}, 4)).isEqualTo(new GraphDelegation(3, 2, 1, 1, 2, 1));
    }

    @Test
    void anUnreachedNodeGoesToTheOnlySideWithKernels() {
        // n0: t0 -> t1 (graph output), n1: t0 -> t2 (read by nobody); both taken by the one external kernel n2
        int[][] in = {{0}, {0}, {0}};
        int[][] out = {{1}, {2}, {1}};
        boolean[] kernel = {false, false, true};
        assertThat(GraphDelegation.of(in, out, kernel, new boolean[] {false, false, true}, new int[] {2}, 3))
                .isEqualTo(new GraphDelegation(2, 1, 2, 1, 0, 0));
        // n1 reads a constant t3 that the kernel does not list: it fits no kernel, and goes with the only side
        int[][] in2 = {{0}, {3}, {0}};
        assertThat(GraphDelegation.of(in2, out, kernel, new boolean[] {false, false, true}, new int[] {2}, 4))
                .isEqualTo(new GraphDelegation(2, 1, 2, 1, 0, 0));
    }

    @Test
    void noDelegateNoKernels() {
        int[][] in = {{0, -1}, {1}};
        int[][] out = {{1}, {2}};
        GraphDelegation g = GraphDelegation.of(in, out, new boolean[2], new boolean[2], new int[] {0, 1}, 3);
        assertThat(g).isEqualTo(new GraphDelegation(2, 2, 0, 0, 0, 0));
        assertThat(g.delegatedFraction()).isZero();
    }
}
