package io.klingbatch.segmind;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where a paid video's bytes go, streamed straight from the socket (the client never holds a video in memory).
 * An {@link IOException} means the <em>download</em> broke (the call was paid: the client reports it as
 * uncertain); a local write failure must be thrown as {@link java.io.UncheckedIOException} so it stops the run.
 */
@FunctionalInterface
public interface VideoSink<T> {

    T save(InputStream body, String contentType) throws IOException;
}
