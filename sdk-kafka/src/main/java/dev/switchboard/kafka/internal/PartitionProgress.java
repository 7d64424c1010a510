package dev.switchboard.kafka.internal;

import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of one assigned partition are fetched but not yet finished, so that the receiver commits
 * only offsets whose record, and every earlier one in the partition, is finished. Records finish in any
 * order (the portable runtime handles unordered records concurrently); the committable position is the
 * lowest unfinished offset. Thread-safe; lives from assignment until revocation.
 */
final class PartitionProgress {
    final TopicPartition partition;
    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long nextOffset = -1;
    private long committed = -1;
    private volatile boolean revoked;

    PartitionProgress(TopicPartition partition) {
        this.partition = partition;
    }

    synchronized void fetched(long offset) {
        unfinished.add(offset);
        nextOffset = Math.max(nextOffset, offset + 1);
    }

    synchronized void finished(long offset) {
        unfinished.remove(offset);
    }

    /** The position to commit if it moved since the last commit, else -1. */
    synchronized long positionToCommit() {
        if (nextOffset < 0) {
            return -1;
        }
        long position = unfinished.isEmpty() ? nextOffset : unfinished.first();
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
}
