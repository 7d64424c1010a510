package dev.switchboard.kafka.internal;

import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of one assigned partition are fetched but not yet finished, so that the receiver commits
 * only offsets whose record, and every earlier one in the partition, is finished. Records finish in any
 * order (the portable runtime handles unordered records concurrently); the committable position is the
 * lowest unfinished offset.
 *
 * <p>Fetched offsets arrive in increasing order, so they are kept in a ring of primitive offsets with a
 * finished flag each (no boxing, no tree): finishing one is a binary search (none for the head, where records
 * handled in order finish), and the ring's head advances past finished offsets. Thread-safe; lives from
 * assignment until revocation.
 */
final class PartitionProgress {
    private static final int INITIAL_CAPACITY = 64;

    final TopicPartition partition;
    private long[] offsets = new long[INITIAL_CAPACITY];
    private boolean[] finished = new boolean[INITIAL_CAPACITY];
    private int head;
    private int size;
    private long nextOffset = -1;
    private long committed = -1;
    private int unfinished;
    /** The offset up to which the committed metadata says records may be out (see {@code CrashMarks}); -1 for none. */
    private volatile long markedUpTo = -1;
    private volatile boolean revoked;

    PartitionProgress(TopicPartition partition) {
        this.partition = partition;
    }

    /** Records a fetched offset; offsets at or below one already fetched are ignored. */
    synchronized void fetched(long offset) {
        if (offset < nextOffset) {
            return;
        }
        if (size == offsets.length) {
            grow();
        }
        int slot = (head + size) % offsets.length;
        offsets[slot] = offset;
        finished[slot] = false;
        size++;
        unfinished++;
        nextOffset = offset + 1;
    }

    /** Marks {@code offset} finished; the oldest unfinished one, the usual case, is found without a search. */
    synchronized void finished(long offset) {
        int index = size > 0 && offsets[head] == offset ? 0 : indexOf(offset);
        if (index < 0 || finished[(head + index) % offsets.length]) {
            return;
        }
        finished[(head + index) % offsets.length] = true;
        unfinished--;
        while (size > 0 && finished[head]) {
            head = (head + 1) % offsets.length;
            size--;
        }
    }

    /** The position to commit if it moved since the last commit, else -1. */
    synchronized long positionToCommit() {
        long position = position();
        return position > committed ? position : -1;
    }

    /** The lowest unfinished offset, or the next to fetch when all are finished; -1 before the first fetch. */
    synchronized long position() {
        return nextOffset < 0 ? -1 : size == 0 ? nextOffset : offsets[head];
    }

    /** The highest offset fetched so far, -1 before the first. */
    synchronized long lastFetched() {
        return nextOffset - 1;
    }

    /** Fetched records not finished yet (handed out or not). */
    synchronized int unfinished() {
        return unfinished;
    }

    synchronized void committed(long position) {
        committed = Math.max(committed, position);
    }

    /** The offset up to which the committed metadata says records may be out; -1 before the first mark. */
    long markedUpTo() {
        return markedUpTo;
    }

    /** A commit saying that records up to {@code upTo} may be out went through. */
    synchronized void marked(long upTo) {
        markedUpTo = Math.max(markedUpTo, upTo);
    }

    boolean isRevoked() {
        return revoked;
    }

    void revoke() {
        revoked = true;
    }

    /** The position of {@code offset} in the ring counted from the head, or -1 if it is not there. */
    private int indexOf(long offset) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long value = offsets[(head + mid) % offsets.length];
            if (value < offset) {
                low = mid + 1;
            } else if (value > offset) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private void grow() {
        long[] newOffsets = new long[offsets.length * 2];
        boolean[] newFinished = new boolean[offsets.length * 2];
        for (int i = 0; i < size; i++) {
            newOffsets[i] = offsets[(head + i) % offsets.length];
            newFinished[i] = finished[(head + i) % offsets.length];
        }
        offsets = newOffsets;
        finished = newFinished;
        head = 0;
    }
}
