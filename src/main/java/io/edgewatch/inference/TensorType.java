package io.edgewatch.inference;

/** Element types of TFLite tensors that edgewatch reads and writes, with their {@code TfLiteType} codes. */
public enum TensorType {
    FLOAT32(1, 4), INT32(2, 4), UINT8(3, 1), INT64(4, 8), INT8(9, 1), OTHER(-1, 0);

    /** The {@code TfLiteType} enum value (tensorflow/lite/core/c/c_api_types.h). */
    public final int tfliteCode;
    /** Bytes per element, 0 for {@link #OTHER}. */
    public final int bytes;

    TensorType(int code, int bytes) {
        this.tfliteCode = code;
        this.bytes = bytes;
    }

    /** Maps a {@code TfLiteType} code; unknown codes map to {@link #OTHER}. */
    public static TensorType fromTflite(int code) {
        for (TensorType t : values()) {
            if (t.tfliteCode == code) {
                return t;
            }
        }
        return OTHER;
    }

    /** Parses a manifest dtype such as {@code uint8} or {@code float32}. */
    public static TensorType fromName(String name) {
        return switch (name.toLowerCase()) {
            case "float32", "float" -> FLOAT32;
            case "uint8" -> UINT8;
            case "int8" -> INT8;
            case "int32" -> INT32;
            case "int64" -> INT64;
            default -> throw new ModelException("unknown tensor dtype '" + name + "' (expected uint8, int8, float32, int32 or int64)");
        };
    }
}
