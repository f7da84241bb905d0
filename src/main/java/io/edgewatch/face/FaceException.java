package io.edgewatch.face;

/** A face-processing failure whose message names the file, key or value at fault (gallery, key file, audit log, image). */
public class FaceException extends RuntimeException {
    public FaceException(String message) {
        super(message);
    }

    public FaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
