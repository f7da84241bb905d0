package io.edgewatch.inference;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Arrays;

/**
 * Shape, type and quantization of one tensor as the interpreter reports it.
 *
 * @param name      tensor name from the model
 * @param index     tensor index in the interpreter
 * @param type      element type
 * @param shape     dimensions, e.g. {@code [1,300,300,3]}
 * @param scale     quantization scale (0 when not quantized)
 * @param zeroPoint quantization zero point
 */
@RegisterForReflection
public record TensorSpec(String name, int index, TensorType type, int[] shape, float scale, int zeroPoint) {

    /** Number of elements (product of the dimensions). */
    public int elementCount() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** True when the tensor carries affine-quantized integers. */
    public boolean quantized() {
        return scale != 0f && (type == TensorType.UINT8 || type == TensorType.INT8);
    }

    @Override
    public String toString() {
        return name + " " + type.name().toLowerCase() + Arrays.toString(shape) + (quantized() ? " q(" + scale + "," + zeroPoint + ")" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.index == index && t.type == type && Arrays.equals(t.shape, shape)
                && t.name.equals(name) && t.scale == scale && t.zeroPoint == zeroPoint;
    }

    @Override
    public int hashCode() {
        return 31 * index + Arrays.hashCode(shape);
    }
}
