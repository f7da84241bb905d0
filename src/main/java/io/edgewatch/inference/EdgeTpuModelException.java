package io.edgewatch.inference;

import java.nio.file.Path;

/**
 * A model compiled for the Coral Edge TPU (its graph contains the custom op {@code edgetpu-custom-op}) was loaded
 * without the Edge TPU delegate. TFLite cannot run that op on the CPU; the fix is to configure the Edge TPU
 * delegate ({@code libedgetpu.so.1}) or to name a CPU build of the model to use instead.
 */
public class EdgeTpuModelException extends ModelException {
    /** Custom op name the Edge TPU compiler writes into a compiled model. */
    public static final String CUSTOM_OP = "edgetpu-custom-op";

    private final Path file;

    public EdgeTpuModelException(Path file, String modelId) {
        this(file, modelId, null);
    }

    /** @param before what happened first (e.g. why the configured delegate was not applied), or null */
    public EdgeTpuModelException(Path file, String modelId, String before) {
        super((before == null ? "" : before + "; and ") + "model " + modelId + " (" + file + ") is compiled for the Edge TPU (custom op " + CUSTOM_OP
                + ") and cannot run without the Edge TPU delegate: set edgewatch.delegates.models." + modelId
                + ".delegate=external with library=libedgetpu.so.1, or name a CPU model with edgewatch.delegates.models."
                + modelId + ".cpu-model=<manifest.json>");
        this.file = file;
    }

    /** The Edge TPU model file. */
    public Path file() {
        return file;
    }
}
