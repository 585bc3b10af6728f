package io.klingbatch.campaign;

import java.nio.file.Path;

/**
 * A campaign file (CSV or job file) that cannot be used at all: missing, binary, empty, malformed.
 * Raised before any paid call; the command line turns it into exit code 2 and this message.
 */
public class CampaignFileException extends RuntimeException {

    public CampaignFileException(Path file, int line, String problem) {
        super(line > 0 ? file + ", line " + line + ": " + problem : file + ": " + problem);
    }

    public CampaignFileException(Path file, String problem) {
        this(file, 0, problem);
    }
}
