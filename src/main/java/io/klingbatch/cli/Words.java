package io.klingbatch.cli;

/** Small helpers so the console's sentences read right: plurals, and messages that already end in a period. */
final class Words {

    private Words() {
    }

    static String rows(int count) {
        return count + (count == 1 ? " row" : " rows");
    }

    /** A message to embed in a sentence: no trailing period (the sentence adds its own). */
    static String clause(String message) {
        if (message == null) {
            return "";
        }
        String text = message.strip();
        while (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
