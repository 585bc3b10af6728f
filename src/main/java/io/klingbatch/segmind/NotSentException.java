package io.klingbatch.segmind;

/** The caller decided, at the last moment, not to send the request (the run is stopping, or another run took the video): nothing was billed. */
public class NotSentException extends SegmindException {

    public NotSentException(String message) {
        super(message, 0, null);
    }
}
