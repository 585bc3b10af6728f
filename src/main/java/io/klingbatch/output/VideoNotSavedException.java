package io.klingbatch.output;

/** A paid video could not be written to the output folder (disk full, no permission): the run must stop. */
public class VideoNotSavedException extends RuntimeException {

    public VideoNotSavedException(String message, Throwable cause) {
        super(message, cause);
    }
}
