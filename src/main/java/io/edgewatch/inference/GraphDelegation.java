package io.edgewatch.inference;

/**
 * How a model's primary subgraph is executed after delegates were applied.
 *
 * @param nodesTotal             nodes of the original graph (delegate kernel nodes not counted)
 * @param executionPlanNodes     nodes in the execution plan (each partition counts as one node)
 * @param nodesDelegated         original nodes taken over by the external delegate
 * @param partitions             delegate kernels (partitions) of the external delegate; every boundary between a
 *                               partition and CPU nodes costs a tensor copy on a real NPU
 * @param otherDelegatedNodes    original nodes taken over by other delegates (TFLite's default XNNPACK delegate)
 * @param otherPartitions        partitions of those other delegates
 */
public record GraphDelegation(int nodesTotal, int executionPlanNodes, int nodesDelegated, int partitions,
                              int otherDelegatedNodes, int otherPartitions) {

    /** Fraction of the original nodes the external delegate runs, 0..1. */
    public double delegatedFraction() {
        return nodesTotal == 0 ? 0 : (double) nodesDelegated / nodesTotal;
    }
}
