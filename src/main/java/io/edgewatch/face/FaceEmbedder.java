package io.edgewatch.face;

import io.edgewatch.inference.ImageTensorWriter;
import io.edgewatch.inference.ModelException;
import io.edgewatch.inference.TensorSpec;
import io.edgewatch.inference.TfliteModel;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns aligned faces into L2-normalised embeddings with a face-embedding model (manifest task
 * {@code face-embedding}, e.g. MobileFaceNet, Chen et al. 2018, arXiv 1804.07573). Input size, batch size, colour
 * order and normalisation come from the model and its manifest; the embedding size and output quantization from
 * the output tensor {@code [batch, D]}. A fixed batch (MobileFaceNet: 2) is filled slot by slot; unused slots are
 * ignored. Not thread-safe.
 */
public final class FaceEmbedder implements AutoCloseable {
    private final TfliteModel model;
    private final ImageTensorWriter writer;
    private final int batch;
    private final int dim;
    private final float[] out;
    private double lastMs;

    /**
     * @throws ModelException when the output is not {@code [batch, D]} with the input's batch
     */
    public FaceEmbedder(TfliteModel model) {
        this.model = model;
        this.writer = new ImageTensorWriter(model);
        this.batch = model.inputs().get(0).shape()[0];
        TensorSpec o = model.outputs().get(0);
        if (o.shape().length != 2 || o.shape()[0] != batch) {
            throw new ModelException("model " + model.name() + ": embedding output must be [" + batch + ", D], is " + o);
        }
        this.dim = o.shape()[1];
        this.out = new float[o.elementCount()];
    }

    /** Embedding size D. */
    public int dimension() {
        return dim;
    }

    /** Input width, pixels (the aligner's output width). */
    public int inputWidth() {
        return writer.width();
    }

    /** Input height, pixels. */
    public int inputHeight() {
        return writer.height();
    }

    /** Model id from the manifest. */
    public String modelId() {
        return model.name();
    }

    /** Model version from the manifest. */
    public String modelVersion() {
        return model.manifest() == null ? "" : model.manifest().version();
    }

    /** One L2-normalised embedding of an aligned BGR face (any size; resized to the input). */
    public float[] embed(Mat aligned) {
        return embed(List.of(aligned)).get(0);
    }

    /**
     * L2-normalised embeddings, one per aligned face, in order; faces are run {@code batch} at a time and unused
     * slots of the last batch are zeroed.
     *
     * @throws ModelException when the model returns a non-finite (NaN or infinite) embedding
     */
    public List<float[]> embed(List<Mat> aligned) {
        long t0 = System.nanoTime();
        List<float[]> res = new ArrayList<>(aligned.size());
        for (int start = 0; start < aligned.size(); start += batch) {
            int n = Math.min(batch, aligned.size() - start);
            for (int i = 0; i < n; i++) {
                writer.write(aligned.get(start + i), i);
            }
            for (int i = n; i < batch; i++) {
                writer.clear(i); // an unused slot must not feed stale or uninitialised memory (NaN) to the model
            }
            model.invoke();
            model.readOutput(0, out);
            for (int i = 0; i < n; i++) {
                float[] e = new float[dim];
                System.arraycopy(out, i * dim, e, 0, dim);
                if (!finite(e)) {
                    java.util.Arrays.fill(out, 0f);
                    throw new ModelException("model " + model.name() + ": embedding of batch slot " + i + " is not finite (NaN or infinity)");
                }
                res.add(normalize(e));
            }
            java.util.Arrays.fill(out, 0f);
        }
        lastMs = (System.nanoTime() - t0) / 1e6;
        return res;
    }

    private static boolean finite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** Scales {@code v} in place to unit L2 norm and returns it. */
    public static float[] normalize(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        double n = Math.sqrt(s);
        if (n > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / n);
            }
        }
        return v;
    }

    /** Cosine similarity of two L2-normalised vectors, -1..1. */
    public static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Wall time of the last {@link #embed(List)} call, ms. */
    public double lastMs() {
        return lastMs;
    }

    public TfliteModel model() {
        return model;
    }

    @Override
    public void close() {
        writer.close();
        model.close();
    }
}
