package io.klingbatch.output;

/** A CSV row's standing, as the manifest names it. */
public enum VideoStatus {
    GENERATED, REJECTED, FAILED, UNCERTAIN, PENDING
}
