package io.klingbatch.campaign;

/**
 * The keys seen so far (row ids, file names, or requests by their fingerprint) and the row that used each first, in about
 * 16 bytes per key (a 64-bit hash and an int in open-addressed arrays, at most three quarters full), so checking a
 * million-row CSV for duplicates stays small. The checks are by hash, not exact.
 * Hand-written because it is two arrays and a loop, and a primitive-collections library would add a jar to every
 * command's class path for it. Two different keys share a 64-bit hash with odds of about 1 in 10^7 for a million
 * keys: a duplicate id or file name is then reported for a row that has none (the row is rejected, never sent twice),
 * or {@code validate} says a row asks for the same video as another (a run goes by the ledger, not by this).
 */
public final class FirstRows {

    private long[] hashes;
    private int[] rows;
    private int size;

    /**
     * @param expectedKeys a guess, so a big file does not grow (and rehash) the table ten times: the table holds that many
     *                     keys at three quarters full, any number of slots (not a power of two, which could nearly double it)
     */
    public FirstRows(long expectedKeys) {
        int capacity = (int) Math.min(Math.max(1024, expectedKeys * 4 / 3 + 1), 1 << 21); // a wrong guess costs at most 24 MB up front
        hashes = new long[capacity];
        rows = new int[capacity];
    }

    public FirstRows() {
        this(0);
    }

    /** Adds the id (or name; ignoring case) and returns the row that used it first, or 0 if it is new. */
    public int putIfAbsent(String id, int row) {
        return putIfAbsent(hash(id), row);
    }

    /**
     * Adds a request (by its hexadecimal sha256 fingerprint, and a take number, 0 for the request itself) and returns the
     * row that asked for it first, or 0 if it is new.
     */
    public int putIfAbsent(String fingerprint, int take, int row) {
        long key = Long.parseUnsignedLong(fingerprint.substring(0, 16), 16) * 31 + take;
        return putIfAbsent(key == 0 ? 1 : key, row);
    }

    private int putIfAbsent(long hash, int row) {
        if (size >= hashes.length * 3L / 4) {
            grow();
        }
        for (int slot = slot(hash, hashes.length); ; slot = slot + 1 == hashes.length ? 0 : slot + 1) {
            if (hashes[slot] == 0) {
                hashes[slot] = hash;
                rows[slot] = row;
                size++;
                return 0;
            }
            if (hashes[slot] == hash) {
                return rows[slot];
            }
        }
    }

    /** Half as large again: the new table and the old one together are 2.5 times the old, not 3 times. */
    private void grow() {
        long[] oldHashes = hashes;
        int[] oldRows = rows;
        hashes = new long[oldHashes.length + oldHashes.length / 2];
        rows = new int[hashes.length];
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != 0) {
                int slot = slot(oldHashes[i], hashes.length);
                while (hashes[slot] != 0) {
                    slot = slot + 1 == hashes.length ? 0 : slot + 1;
                }
                hashes[slot] = oldHashes[i];
                rows[slot] = oldRows[i];
            }
        }
    }

    /** The slot of a hash in a table of any size: its high 32 bits scaled to the size (no division). */
    private static int slot(long hash, int capacity) {
        return (int) (((hash >>> 32) * capacity) >>> 32);
    }

    /** 64-bit FNV-1a over the id's lower-cased characters, then a final mix so neighbouring ids spread out. */
    private static long hash(String id) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            hash ^= Character.toLowerCase(id.charAt(i));
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash == 0 ? 1 : hash; // 0 marks an empty slot, so a lookup of a new id reads one array only
    }
}
