package io.klingbatch.request;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignCsv;
import io.klingbatch.campaign.CampaignFileException;
import io.klingbatch.campaign.PromptRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Checks a whole campaign without calling anything: the job file's defaults, then every row in CSV order.
 * Used by {@code validate}, by {@code run} before its first paid call, and by the manifest.
 */
@Component
public class CampaignChecks {

    private static final int PREVIEW_ROWS = 3;

    private final RequestProperties properties;

    CampaignChecks(RequestProperties properties) {
        this.properties = properties;
    }

    /** The validator for a campaign's rows; a bad default in the job file makes the whole campaign unusable. */
    public RequestValidator validatorFor(Campaign campaign) {
        RequestValidator validator = new RequestValidator(properties, campaign.defaults(), campaign.csvFolder(), campaign.promptTemplate(),
                campaign.negativePromptTemplate());
        List<FieldError> errors = validator.checkDefaults();
        if (!errors.isEmpty()) {
            throw new CampaignFileException(campaign.source(), "bad default: " + errors.get(0).field() + " " + errors.get(0).message());
        }
        return validator;
    }

    /**
     * Checks every row in order and hands each result on, in constant memory.
     *
     * @return the header's unknown columns
     * @throws CampaignFileException when the file is unusable (before or during the scan)
     */
    public List<String> scan(Campaign campaign, Consumer<CheckedRow> each) {
        RequestValidator validator = validatorFor(campaign);
        FanOut fanOut = new FanOut(campaign.videos());
        FanOut.Names names = new FanOut.Names(campaign.expectedRows());
        try (CampaignCsv csv = CampaignCsv.open(campaign); ReadAhead rows = new ReadAhead(csv)) {
            boolean any = false;
            while (rows.hasNext()) {
                for (PromptRow row : rows.next()) {
                    any = true;
                    each.accept(names.check(fanOut.apply(validator.check(row))));
                }
            }
            if (!any) {
                throw new CampaignFileException(campaign.csv(), "has a header but no data rows: add one row per video");
            }
            return csv.unknownColumns();
        }
    }

    /**
     * The rows a pass in CSV order rejects because a video of theirs would take the file name of an earlier row's
     * (row number to the rejected row): a run's partitions read rows out of order, so they reject these rows from here.
     */
    public Map<Integer, CheckedRow.Rejected> nameClashes(Campaign campaign) {
        Map<Integer, CheckedRow.Rejected> clashes = new HashMap<>();
        scan(campaign, checked -> {
            if (checked instanceof CheckedRow.Rejected rejected && rejected.errors().stream().anyMatch(error -> error.field().equals("name"))) {
                clashes.put(rejected.row().row(), rejected);
            }
        });
        return Map.copyOf(clashes);
    }

    /** The step's processor for a campaign: the same checks and videos as {@link #scan}, row by row. */
    public CheckRowProcessor processorFor(Campaign campaign, Map<Integer, CheckedRow.Rejected> nameClashes) {
        RequestValidator validator = validatorFor(campaign);
        FanOut fanOut = new FanOut(campaign.videos());
        return new CheckRowProcessor(row -> {
            CheckedRow clash = nameClashes.get(row.row());
            return clash != null ? clash : fanOut.apply(validator.check(row));
        });
    }

    /**
     * What {@code validate} says once about the campaign's file besides its rows: that a CSV was read as Windows-1252
     * (it is not UTF-8), and, when the job file has templates, the first three prompts they fill, as they will be sent.
     * Reads no further than it needs (the first non-ASCII byte; the first rows).
     */
    public List<String> notes(Campaign campaign) {
        List<String> notes = new ArrayList<>();
        String reading = CampaignCsv.readingNote(campaign);
        if (reading != null) {
            notes.add(reading);
        }
        if (campaign.promptTemplate() == null && campaign.negativePromptTemplate() == null) {
            return notes;
        }
        RequestValidator validator = validatorFor(campaign);
        List<String> filled = new ArrayList<>();
        int shown = 0;
        try (CampaignCsv csv = CampaignCsv.open(campaign)) {
            for (PromptRow row = csv.next(); row != null && shown < PREVIEW_ROWS; row = csv.next()) {
                if (validator.check(row) instanceof CheckedRow.Accepted accepted) {
                    shown++;
                    String where = "  row " + row.row() + " (id " + row.id() + "): ";
                    if (campaign.promptTemplate() != null) {
                        filled.add(where + "prompt: " + accepted.request().prompt());
                    }
                    if (campaign.negativePromptTemplate() != null) {
                        filled.add(where + "negative_prompt: " + accepted.request().negativePrompt());
                    }
                }
            }
        }
        String templates = campaign.promptTemplate() != null && campaign.negativePromptTemplate() != null
                ? "prompt-template and negative-prompt-template" : campaign.promptTemplate() != null ? "prompt-template" : "negative-prompt-template";
        notes.add(filled.isEmpty() ? "No row of " + campaign.csv().getFileName() + " is valid, so " + templates + " fills no prompt."
                : "The first valid rows of " + campaign.csv().getFileName() + " with " + templates + " filled, as they will be sent:");
        notes.addAll(filled);
        return notes;
    }

    /**
     * Reads the CSV on a second thread, a batch of rows ahead, while this thread checks them: on a big file the
     * parsing and the checks then take the time of the slower one, not of both. Order is kept (one reader, one
     * checker), and a file that turns out unusable still throws here, on the caller's thread.
     */
    private static final class ReadAhead implements Iterator<List<PromptRow>>, AutoCloseable {

        private static final int BATCH = 4096;
        private static final List<PromptRow> END = List.of();

        private final BlockingQueue<Object> batches = new ArrayBlockingQueue<>(4);
        private final Thread reader;
        private Object next;

        ReadAhead(CampaignCsv csv) {
            reader = new Thread(() -> {
                try {
                    List<PromptRow> batch = new ArrayList<>(BATCH);
                    for (PromptRow row = csv.next(); row != null; row = csv.next()) {
                        batch.add(row);
                        if (batch.size() == BATCH) {
                            batches.put(batch);
                            batch = new ArrayList<>(BATCH);
                        }
                    }
                    batches.put(batch);
                    batches.put(END);
                } catch (RuntimeException e) {
                    try {
                        batches.put(e); // waits for room: offer() would drop the error when the queue is full, and the checker would wait forever
                    } catch (InterruptedException stopped) {
                        Thread.currentThread().interrupt(); // close(): the checker stopped first and wants nothing more
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "kling-csv-reader");
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    next = batches.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading the campaign", e);
                }
            }
            if (next instanceof RuntimeException failure) {
                throw failure;
            }
            return next != END;
        }

        /** Stops the reader if the checker stopped first (the caller's consumer threw): no thread is left waiting. */
        @Override
        public void close() {
            reader.interrupt();
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<PromptRow> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<PromptRow> batch = (List<PromptRow>) next;
            next = null;
            return batch;
        }
    }
}
