package dev.switchboard.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {
    private final PartitionProgress progress = new PartitionProgress(new TopicPartition("orders", 0));

    @Test
    void nothingToCommitBeforeAFetch() {
        assertThat(progress.positionToCommit()).isEqualTo(-1);
    }

    @Test
    void commitsUpToTheLowestUnfinishedOffset() {
        for (long offset = 10; offset < 15; offset++) {
            progress.fetched(offset);
        }
        assertThat(progress.positionToCommit()).isEqualTo(10);

        progress.finished(11);
        progress.finished(12);
        assertThat(progress.positionToCommit()).isEqualTo(10);

        progress.finished(10);
        assertThat(progress.positionToCommit()).isEqualTo(13);

        progress.finished(14);
        progress.finished(13);
        assertThat(progress.positionToCommit()).isEqualTo(15);
    }

    @Test
    void offsetGapsFromCompactionAreSkipped() {
        progress.fetched(3);
        progress.fetched(7);
        progress.fetched(20);
        progress.finished(3);
        assertThat(progress.positionToCommit()).isEqualTo(7);
        progress.finished(7);
        progress.finished(20);
        assertThat(progress.positionToCommit()).isEqualTo(21);
    }

    @Test
    void aCommittedPositionIsNotOfferedAgain() {
        progress.fetched(0);
        progress.finished(0);
        assertThat(progress.positionToCommit()).isEqualTo(1);
        progress.committed(1);
        assertThat(progress.positionToCommit()).isEqualTo(-1);
    }

    @Test
    void repeatedAndUnknownFinishesAndStaleFetchesChangeNothing() {
        progress.fetched(5);
        progress.fetched(6);
        progress.finished(6);
        progress.finished(6);
        progress.finished(99);
        progress.fetched(4);
        assertThat(progress.positionToCommit()).isEqualTo(5);
    }

    @Test
    void agreesWithASortedSetOverManyOutOfOrderFinishesAcrossRingGrowth() {
        Random random = new Random(7);
        TreeSet<Long> unfinished = new TreeSet<>();
        List<Long> pending = new ArrayList<>();
        long next = 0;
        for (int round = 0; round < 200; round++) {
            int fetch = random.nextInt(300);
            for (int i = 0; i < fetch; i++) {
                next += 1 + random.nextInt(3);
                progress.fetched(next);
                unfinished.add(next);
                pending.add(next);
            }
            Collections.shuffle(pending, random);
            int finish = random.nextInt(pending.size() + 1);
            for (int i = 0; i < finish; i++) {
                long offset = pending.remove(pending.size() - 1);
                progress.finished(offset);
                unfinished.remove(offset);
            }
            long expected = unfinished.isEmpty() ? next + 1 : unfinished.first();
            assertThat(progress.positionToCommit()).isEqualTo(expected);
            progress.committed(expected - 1);
        }
    }

    @Test
    void inOrderFinishesAdvanceTheHeadAcrossTheRingsWrapAndGrowth() {
        long next = 0;
        long lowestUnfinished = 0;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 50 + 30 * round; i++) {
                progress.fetched(next++);
            }
            for (; lowestUnfinished < next - 30; lowestUnfinished++) {
                progress.finished(lowestUnfinished);
            }
            assertThat(progress.positionToCommit()).isEqualTo(lowestUnfinished);
            progress.committed(lowestUnfinished);
        }
        for (; lowestUnfinished < next; lowestUnfinished++) {
            progress.finished(lowestUnfinished);
        }
        assertThat(progress.positionToCommit()).isEqualTo(next);
    }
}
