package io.klingbatch.campaign;

/**
 * The ids seen so far and the row that used each first, in about 12 bytes per id (a 64-bit hash and an int in
 * open-addressed arrays), so checking a million-row CSV for duplicates stays small. Two different ids share a
 * 64-bit hash with odds of about 1 in 10^7 for a million ids; such a row would be reported as a duplicate, never
 * sent twice.
 */
final class IdSet {

    private long[] hashes;
    private int[] rows;
    private int size;

    /** @param expectedIds a guess, so a big file does not grow (and rehash) the table ten times; capped at 1M ids */
    IdSet(long expectedIds) {
        int capacity = 1024;
        while (capacity < expectedIds * 2 && capacity < 1 << 21) {
            capacity <<= 1;
        }
        hashes = new long[capacity];
        rows = new int[capacity];
    }

    IdSet() {
        this(0);
    }

    /** Adds the id (ignoring case) and returns the row that used it first, or 0 if it is new. */
    int putIfAbsent(String id, int row) {
        if (size * 2 >= hashes.length) {
            grow();
        }
        long hash = hash(id);
        int mask = hashes.length - 1;
        for (int slot = (int) (hash ^ hash >>> 32) & mask; ; slot = slot + 1 & mask) {
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

    private void grow() {
        long[] oldHashes = hashes;
        int[] oldRows = rows;
        hashes = new long[oldHashes.length * 2];
        rows = new int[oldRows.length * 2];
        int mask = hashes.length - 1;
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != 0) {
                int slot = (int) (oldHashes[i] ^ oldHashes[i] >>> 32) & mask;
                while (hashes[slot] != 0) {
                    slot = slot + 1 & mask;
                }
                hashes[slot] = oldHashes[i];
                rows[slot] = oldRows[i];
            }
        }
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
