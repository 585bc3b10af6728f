package io.klingbatch.output;

/**
 * What a run of a campaign would do, before it does it: for {@code validate} and the run's first line.
 *
 * @param rows     data rows
 * @param rejected rows that will never be sent
 * @param made     videos that exist already (made by an earlier run, for any campaign): copied, not paid
 * @param toPay    videos to pay for (a request shared by several rows counts once)
 * @param shared   videos that are a copy of one another row of this CSV pays for
 * @param inFlight videos being made right now (submitted, or on the wire in a live run)
 * @param uncertain valid rows that may have been charged without a result (not resent unless asked)
 * @param imageRows rows with an image in a campaign of several formats: each makes one video (the API follows the image)
 */
public record Plan(int rows, int rejected, int made, int toPay, int shared, int inFlight, int uncertain, int imageRows) {

    public int valid() {
        return rows - rejected;
    }
}
