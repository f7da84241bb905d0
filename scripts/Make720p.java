import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Writes a 1280x720 MPEG-4 clip from a video file (scaled with OpenCV, encoded with FFmpeg via JavaCV), for the
 * 720p footprint figures. Usage: java -cp "target/quarkus-app/lib/main/*" scripts/Make720p.java IN OUT [FRAMES]
 */
public class Make720p {
    public static void main(String[] args) throws Exception {
        int max = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
        try (FFmpegFrameGrabber in = new FFmpegFrameGrabber(args[0]); OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            in.start();
            try (FFmpegFrameRecorder out = new FFmpegFrameRecorder(args[1], 1280, 720, 0)) {
                out.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                out.setFormat("mp4");
                out.setFrameRate(in.getFrameRate());
                out.setVideoQuality(4);
                out.start();
                Mat scaled = new Mat();
                int n = 0;
                Frame f;
                while (n < max && (f = in.grabImage()) != null) {
                    opencv_imgproc.resize(conv.convert(f), scaled, new Size(1280, 720));
                    out.record(conv.convert(scaled));
                    n++;
                }
                out.stop();
                System.out.println("wrote " + args[1] + ": " + n + " frames 1280x720 at " + in.getFrameRate() + " fps");
            }
        }
    }
}
