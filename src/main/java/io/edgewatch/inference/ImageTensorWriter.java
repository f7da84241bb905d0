package io.edgewatch.inference;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.divide;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Writes a BGR image into an NHWC image input tensor as the manifest describes it: resized (stretched) to the
 * tensor's height x width with bilinear interpolation, converted to the model's colour order, and stored as
 * uint8 (raw 0..255, which is what a uint8 model with its own quantization expects), int8 (0..255 shifted by
 * -128) or float32 ({@code (pixel - mean) / std} per channel). The destination is the tensor's own memory, so
 * no extra copy is made. Not thread-safe: one per model instance.
 */
public final class ImageTensorWriter implements AutoCloseable {
    private final TfliteModel model;
    private final int height;
    private final int width;
    private final boolean rgb;
    private final TensorType type;
    private final Mat resized = new Mat();
    private final Mat floatTmp = new Mat();
    private final double[] mean;
    private final double[] std;
    private final boolean uniform;
    private final Mat meanMat;
    private final Mat stdMat;

    /**
     * @throws ModelException when input 0 is not an NHWC 3-channel image tensor
     */
    public ImageTensorWriter(TfliteModel model) {
        this.model = model;
        TensorSpec in = model.inputs().get(0);
        int[] s = in.shape();
        if (s.length != 4 || s[3] != 3) {
            throw new ModelException("model " + model.name() + ": input " + in + " is not an NHWC 3-channel image");
        }
        this.height = s[1];
        this.width = s[2];
        this.type = in.type();
        ModelManifest m = model.manifest();
        this.rgb = m == null || m.input().colorOrder() == null || m.input().colorOrder().equalsIgnoreCase("RGB");
        this.mean = channels(m == null ? null : m.input().mean(), 0);
        this.std = channels(m == null ? null : m.input().std(), 1);
        this.uniform = mean[0] == mean[1] && mean[1] == mean[2] && std[0] == std[1] && std[1] == std[2];
        this.meanMat = new Mat(height, width, CV_32FC3, new Scalar(mean[0], mean[1], mean[2], 0));
        this.stdMat = new Mat(height, width, CV_32FC3, new Scalar(std[0], std[1], std[2], 1));
    }

    private static double[] channels(List<Double> v, double dflt) {
        if (v == null || v.isEmpty()) {
            return new double[]{dflt, dflt, dflt};
        }
        if (v.size() == 1) {
            return new double[]{v.get(0), v.get(0), v.get(0)};
        }
        return new double[]{v.get(0), v.get(1), v.get(2)};
    }

    /** Tensor height in pixels. */
    public int height() {
        return height;
    }

    /** Tensor width in pixels. */
    public int width() {
        return width;
    }

    /**
     * Writes {@code bgr} (CV_8UC3, any size) into batch slot {@code batchIndex} of input 0.
     */
    public void write(Mat bgr, int batchIndex) {
        resize(bgr, resized, new Size(width, height), 0, 0, INTER_LINEAR);
        long plane = (long) height * width * 3;
        switch (type) {
            case UINT8, INT8 -> {
                BytePointer dst = model.inputBytes().position(plane * batchIndex);
                try (Mat target = new Mat(height, width, CV_8UC3, dst)) {
                    if (rgb) {
                        cvtColor(resized, target, COLOR_BGR2RGB);
                    } else {
                        resized.copyTo(target);
                    }
                    if (type == TensorType.INT8) {
                        BytePointer p = dst;
                        for (long i = 0; i < plane; i++) {
                            p.put(i, (byte) ((p.get(i) & 0xff) - 128));
                        }
                    }
                }
            }
            case FLOAT32 -> {
                if (rgb) {
                    cvtColor(resized, resized, COLOR_BGR2RGB);
                }
                // the slot's start as a byte offset: JavaCPP applies a pointer's position to a void* argument
                // (the Mat data) in bytes, so a FloatPointer positioned at a float index lands a quarter of the way
                // in and batch slots overlap
                BytePointer dst = model.inputBytes().position(plane * Float.BYTES * batchIndex);
                try (Mat target = new Mat(height, width, CV_32FC3, dst)) {
                    if (uniform) {
                        resized.convertTo(target, CV_32FC3, 1.0 / std[0], -mean[0] / std[0]);
                    } else {
                        resized.convertTo(floatTmp, CV_32FC3);
                        subtract(floatTmp, meanMat, floatTmp);
                        divide(floatTmp, stdMat, target);
                    }
                }
            }
            default -> throw new ModelException("model " + model.name() + ": unsupported input type " + type);
        }
    }

    /**
     * Zeroes batch slot {@code batchIndex} of input 0. A fixed-batch model run with fewer images than its batch must
     * not read the slot's previous or uninitialised memory: the tensor arena is not cleared by TensorFlow Lite, and a
     * NaN left there was seen to turn the whole output (every slot) into NaN.
     */
    public void clear(int batchIndex) {
        long plane = (long) height * width * 3;
        long bytes = type == TensorType.FLOAT32 ? plane * Float.BYTES : plane;
        BytePointer dst = model.inputBytes();
        org.bytedeco.javacpp.Pointer.memset(dst.position(bytes * batchIndex), 0, bytes);
    }

    @Override
    public void close() {
        resized.close();
        floatTmp.close();
        meanMat.close();
        stdMat.close();
    }
}
