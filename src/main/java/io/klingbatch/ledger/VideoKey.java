package io.klingbatch.ledger;

/**
 * What a video is known by: the exact request paid for, its take, and the API it was paid to. Not the output
 * folder, the working directory, the CSV's name or the row's position: those change under users' hands, and each
 * change used to mean paying again.
 *
 * @param endpoint    {@link Endpoint#id()}
 * @param requestHash the request's fingerprint: every field sent, a local image by its bytes' sha256
 * @param take        1, or the n-th deliberate remake of the same request
 */
public record VideoKey(String endpoint, String requestHash, int take) {

    public VideoKey withTake(int newTake) {
        return new VideoKey(endpoint, requestHash, newTake);
    }

    /** For messages and file names: the hash's first 8 characters. */
    public String shortHash() {
        return requestHash.substring(0, Math.min(8, requestHash.length()));
    }
}
