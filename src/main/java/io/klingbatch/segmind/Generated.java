package io.klingbatch.segmind;

/** A paid, saved video: what the sink made of the body, what it cost, and how many attempts it took. */
public record Generated<T>(T video, Billing billing, int attempts) {
}
