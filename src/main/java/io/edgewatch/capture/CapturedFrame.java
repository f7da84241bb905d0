package io.edgewatch.capture;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One decoded video frame owned by whoever holds it; {@link #close()} releases the pixel memory.
 *
 * @param image         BGR 8-bit image (CV_8UC3), {@code width x height} pixels
 * @param grey          a small full-range grey copy (CV_8UC1) for motion detection, made by the capture from the
 *                      decoder's picture when asked ({@link FfmpegFrameReader#greyCopy(int)}); null otherwise
 * @param width         pixels
 * @param height        pixels
 * @param seq           frame sequence number within this camera's session, from 0, counting every decoded frame
 *                      (so gaps show frames dropped by the latest-frame-wins hand-off, or passed over unconverted
 *                      because the consumer's {@link FrameDemand} did not want them)
 * @param captureTimeMs time of the frame, epoch ms: wall clock at decode for live sources; for a replayed file the
 *                      time it was opened plus the frame's presentation time
 * @param streamTimeMs  presentation time in the stream, ms from its start (-1 when unknown)
 */
public record CapturedFrame(Mat image, Mat grey, int width, int height, long seq, long captureTimeMs, long streamTimeMs)
        implements AutoCloseable {
    /** A frame without a grey copy. */
    public CapturedFrame(Mat image, int width, int height, long seq, long captureTimeMs, long streamTimeMs) {
        this(image, null, width, height, seq, captureTimeMs, streamTimeMs);
    }

    @Override
    public void close() {
        image.close();
        if (grey != null) {
            grey.close();
        }
    }
}
