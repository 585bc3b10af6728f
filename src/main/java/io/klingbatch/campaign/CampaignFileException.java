package io.klingbatch.campaign;

import java.nio.file.Path;

/**
 * A campaign file (CSV, workbook or job file) that cannot be used at all: missing, binary, empty, malformed.
 * Raised before any paid call; the command line turns it into exit code 2 and this message.
 */
public class CampaignFileException extends RuntimeException {

    public CampaignFileException(Path file, int line, String problem) {
        super(line > 0 ? file + ", line " + line + ": " + problem : file + ": " + problem);
    }

    /** @param place where in the file, as its kind names places: {@code line 4} in a CSV, {@code row 4} in a sheet */
    public CampaignFileException(Path file, String place, String problem) {
        super(place == null || place.isEmpty() ? file + ": " + problem : file + ", " + place + ": " + problem);
    }

    public CampaignFileException(Path file, String problem) {
        this(file, 0, problem);
    }
}
