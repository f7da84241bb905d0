package io.edgewatch.inference;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

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

    /**
     * Counts from the graph alone, the same for delegates on TFLite's classic and opaque delegate APIs: what each
     * node reads and writes, which nodes are delegate kernels and whose, and the execution plan.
     *
     * <p>Original nodes are those that are not delegate kernels; one no longer in the plan was replaced by a kernel.
     * It is attributed to the kernel whose partition computes it: walking back from each kernel's output tensors
     * through the producers of tensors that are not that kernel's inputs (a partition's inputs are the tensors it
     * reads from outside), which is exact for every node whose output is used. A replaced node no walk reaches (its
     * outputs are read by nobody) can only be in a partition all of whose inputs it can read: each of its inputs is
     * that kernel's input or produced by a node attributed to that kernel. When all such kernels belong to one side
     * (the external delegate, or the others) it goes to that side; when none or both: to the external delegate if all
     * kernels in the plan are its, else to the other delegates. Partitions are the kernel nodes in the plan.
     *
     * @param inputs      tensor indices each node reads (negative: optional input absent), indexed by node
     * @param outputs     tensor indices each node writes, indexed by node
     * @param kernel      true for delegate kernel nodes ({@code builtin_code == kTfLiteBuiltinDelegate})
     * @param external    true for kernel nodes of the external delegate ({@code node->delegate} is it)
     * @param plan        node indices of the execution plan, in execution order
     * @param tensorCount number of tensors of the subgraph; indices outside 0..tensorCount-1 are ignored
     */
    static GraphDelegation of(int[][] inputs, int[][] outputs, boolean[] kernel, boolean[] external, int[] plan, int tensorCount) {
        int nodes = kernel.length;
        boolean[] inPlan = new boolean[nodes];
        for (int node : plan) {
            inPlan[node] = true;
        }
        int[] producer = new int[tensorCount];
        Arrays.fill(producer, -1);
        for (int i = 0; i < nodes; i++) {
            if (!kernel[i]) {
                for (int t : outputs[i]) {
                    if (t >= 0 && t < tensorCount) {
                        producer[t] = i;
                    }
                }
            }
        }
        int[] kernelOf = new int[nodes];
        Arrays.fill(kernelOf, -1);
        Map<Integer, Set<Integer>> kernelInputsOf = new LinkedHashMap<>();
        int partitions = 0;
        int otherPartitions = 0;
        for (int kn : plan) {
            if (!kernel[kn]) {
                continue;
            }
            if (external[kn]) {
                partitions++;
            } else {
                otherPartitions++;
            }
            Set<Integer> kernelInputs = new HashSet<>();
            for (int t : inputs[kn]) {
                kernelInputs.add(t);
            }
            kernelInputsOf.put(kn, kernelInputs);
            ArrayDeque<Integer> tensors = new ArrayDeque<>();
            for (int t : outputs[kn]) {
                tensors.push(t);
            }
            while (!tensors.isEmpty()) {
                int t = tensors.pop();
                int p = t < 0 || t >= tensorCount || kernelInputs.contains(t) ? -1 : producer[t];
                if (p < 0 || inPlan[p] || kernelOf[p] >= 0) {
                    continue;
                }
                kernelOf[p] = kn;
                for (int in : inputs[p]) {
                    tensors.push(in);
                }
            }
        }
        // replaced nodes whose outputs nobody reads: to the side of every kernel whose partition they could be in
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int i = 0; i < nodes; i++) {
                if (kernel[i] || inPlan[i] || kernelOf[i] >= 0) {
                    continue;
                }
                int candidate = -1;
                boolean mixed = false;
                for (Map.Entry<Integer, Set<Integer>> k : kernelInputsOf.entrySet()) {
                    boolean fits = true;
                    for (int t : inputs[i]) {
                        int p = t < 0 || t >= tensorCount ? -1 : producer[t];
                        fits &= t < 0 || k.getValue().contains(t) || p >= 0 && kernelOf[p] == k.getKey();
                    }
                    if (fits) {
                        mixed |= candidate >= 0 && external[candidate] != external[k.getKey()];
                        candidate = candidate < 0 ? k.getKey() : candidate;
                    }
                }
                if (candidate >= 0 && !mixed) {
                    kernelOf[i] = candidate;
                    changed = true;
                }
            }
        }
        boolean onlyExternalKernels = partitions > 0 && otherPartitions == 0;
        int original = 0;
        int delegated = 0;
        int other = 0;
        for (int i = 0; i < nodes; i++) {
            if (kernel[i]) {
                continue;
            }
            original++;
            if (!inPlan[i]) {
                if (kernelOf[i] >= 0 ? external[kernelOf[i]] : onlyExternalKernels) {
                    delegated++;
                } else {
                    other++;
                }
            }
        }
        return new GraphDelegation(original, plan.length, delegated, partitions, other, otherPartitions);
    }
}
