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
        nextOffset = offset + 1;
    }

    /** Marks {@code offset} finished; the oldest unfinished one, the usual case, is found without a search. */
    synchronized void finished(long offset) {
        int index = size > 0 && offsets[head] == offset ? 0 : indexOf(offset);
        if (index < 0) {
            return;
        }
        finished[(head + index) % offsets.length] = true;
        while (size > 0 && finished[head]) {
            head = (head + 1) % offsets.length;
            size--;
        }
    }

    /** The position to commit if it moved since the last commit, else -1. */
    synchronized long positionToCommit() {
        if (nextOffset < 0) {
            return -1;
        }
        long position = size == 0 ? nextOffset : offsets[head];
        return position > committed ? position : -1;
    }

    synchronized void committed(long position) {
        committed = Math.max(committed, position);
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
