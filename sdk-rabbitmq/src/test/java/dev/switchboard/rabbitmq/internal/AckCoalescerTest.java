package dev.switchboard.rabbitmq.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AckCoalescerTest {
    private final List<String> written = new ArrayList<>();
    private final AckCoalescer.Frames frames = (deliveryTag, multiple, requeue) ->
            written.add((requeue ? "requeue " : multiple ? "ack<=" : "ack ") + deliveryTag);

    private List<AckCoalescer.Tag> deliver(AckCoalescer acks, long first, long last) {
        List<AckCoalescer.Tag> tags = new ArrayList<>();
        for (long tag = first; tag <= last; tag++) {
            tags.add(acks.delivered(tag));
        }
        return tags;
    }

    @Test
    void aRunOfFinishedDeliveriesIsOneMultipleAckOnceTheBatchIsHeld() throws IOException {
        AckCoalescer acks = new AckCoalescer(frames, 3);
        List<AckCoalescer.Tag> tags = deliver(acks, 1, 5);

        assertThat(acks.ack(tags.get(0))).isEqualTo(AckCoalescer.Outcome.HELD);
        assertThat(acks.ack(tags.get(1))).isEqualTo(AckCoalescer.Outcome.HELD);
        assertThat(written).isEmpty();
        assertThat(acks.ack(tags.get(2))).isEqualTo(AckCoalescer.Outcome.WRITTEN);

        assertThat(written).containsExactly("ack<=3");
        acks.flush();
        assertThat(written).containsExactly("ack<=3");
    }

    @Test
    void aFullBatchBehindARunningDeliveryWaitsForItToJoinTheRun() throws IOException {
        AckCoalescer acks = new AckCoalescer(frames, 2);
        List<AckCoalescer.Tag> tags = deliver(acks, 1, 4);

        acks.ack(tags.get(1));
        assertThat(acks.ack(tags.get(2))).isEqualTo(AckCoalescer.Outcome.HELD);
        assertThat(written).isEmpty();
        assertThat(acks.ack(tags.get(0))).isEqualTo(AckCoalescer.Outcome.WRITTEN);

        assertThat(written).containsExactly("ack<=3");
    }

    @Test
    void theHeldAcksAreWrittenAsSoonAsNothingRuns() throws IOException {
        AckCoalescer acks = new AckCoalescer(frames, 10);
        AckCoalescer.Tag lone = acks.delivered(1);

        assertThat(acks.ack(lone)).isEqualTo(AckCoalescer.Outcome.WRITTEN);
        assertThat(written).containsExactly("ack 1");

        List<AckCoalescer.Tag> tags = deliver(acks, 2, 4);
        acks.ack(tags.get(0));
        acks.ack(tags.get(1));
        assertThat(written).containsExactly("ack 1");
        acks.requeue(tags.get(2));
        assertThat(written).containsExactly("ack 1", "requeue 4", "ack<=3");
        acks.flush();
        assertThat(written).containsExactly("ack 1", "requeue 4", "ack<=3");
    }

    @Test
    void aFlushWritesWhatIsHeldAndASingleAckIsNotMultiple() throws IOException {
        AckCoalescer acks = new AckCoalescer(frames, 10);
        List<AckCoalescer.Tag> tags = deliver(acks, 1, 3);

        acks.ack(tags.get(0));
        acks.flush();
        acks.flush();

        assertThat(written).containsExactly("ack 1");
    }

    @Test
    void aMultipleAckNeverPassesADeliveryStillRunning() throws IOException {
        AckCoalescer acks = new AckCoalescer(frames, 10);
        List<AckCoalescer.Tag> tags = deliver(acks, 1, 6);

        for (int i : new int[] {0, 1, 3, 5}) {
            acks.ack(tags.get(i));
        }
        acks.flush();

        // 3 is running: 1-2 as a run, 4 and 6 on their own
        assertThat(written).containsExactly("ack<=2", "ack 4", "ack 6");

        written.clear();
        acks.ack(tags.get(4));
        acks.ack(tags.get(2));
        acks.flush();
        assertThat(written).containsExactly("ack<=5");
    }

    @Test
    void aRequeueIsWrittenAtOnceAndARunEndsOnAnAckedTagOnly() throws IOException {
        AckCoalescer acks = new AckCoalescer(frames, 10);
        List<AckCoalescer.Tag> tags = deliver(acks, 1, 4);

        acks.ack(tags.get(0));
        acks.requeue(tags.get(1));
        assertThat(written).containsExactly("requeue 2");
        acks.flush();
        assertThat(written).containsExactly("requeue 2", "ack 1");

        written.clear();
        acks.ack(tags.get(2));
        acks.requeue(tags.get(3));
        acks.flush();
        // the run 3..4 ends on the requeued 4: the ack stops at 3
        assertThat(written).containsExactly("requeue 4", "ack 3");
    }

    @Test
    void aRequeuedTagInsideARunIsPassedByTheMultipleAckAfterItsNack() throws IOException {
        AckCoalescer acks = new AckCoalescer(frames, 10);
        List<AckCoalescer.Tag> tags = deliver(acks, 1, 3);

        acks.ack(tags.get(0));
        acks.requeue(tags.get(1));
        acks.ack(tags.get(2));
        acks.flush();

        assertThat(written).containsExactly("requeue 2", "ack<=3");
    }

    @Test
    void settlingTwiceWritesNothingMore() throws IOException {
        AckCoalescer acks = new AckCoalescer(frames, 1);
        List<AckCoalescer.Tag> tags = deliver(acks, 1, 2);

        assertThat(acks.ack(tags.get(0))).isEqualTo(AckCoalescer.Outcome.WRITTEN);
        assertThat(acks.ack(tags.get(0))).isEqualTo(AckCoalescer.Outcome.ALREADY_SETTLED);
        assertThat(acks.requeue(tags.get(0))).isEqualTo(AckCoalescer.Outcome.ALREADY_SETTLED);
        assertThat(acks.requeue(tags.get(1))).isEqualTo(AckCoalescer.Outcome.WRITTEN);
        assertThat(acks.ack(tags.get(1))).isEqualTo(AckCoalescer.Outcome.ALREADY_SETTLED);

        assertThat(written).containsExactly("ack 1", "requeue 2");
    }

    @Test
    void afterAResetTheOldTagsAreStaleAndNeverHoldBackTheNewOnes() throws IOException {
        AckCoalescer acks = new AckCoalescer(frames, 10);
        List<AckCoalescer.Tag> old = deliver(acks, 1, 3);
        acks.ack(old.get(0));

        acks.reset();
        acks.flush();
        assertThat(written).isEmpty();
        List<AckCoalescer.Tag> recovered = deliver(acks, 4, 5);

        assertThat(acks.ack(old.get(1))).isEqualTo(AckCoalescer.Outcome.STALE);
        assertThat(acks.requeue(old.get(2))).isEqualTo(AckCoalescer.Outcome.STALE);
        acks.ack(recovered.get(0));
        acks.ack(recovered.get(1));
        acks.flush();
        // old 2 and 3 are still unsettled, yet the new run is acked: their tags died with the channel
        assertThat(written).containsExactly("ack<=5");
    }

    @Test
    void aTagDeliveredOutOfOrderStillHoldsBackTheRunAboveIt() throws IOException {
        AckCoalescer acks = new AckCoalescer(frames, 10);
        AckCoalescer.Tag three = acks.delivered(3);
        AckCoalescer.Tag two = acks.delivered(2);

        acks.ack(three);
        acks.flush();
        assertThat(written).containsExactly("ack 3");
        acks.ack(two);
        acks.flush();
        assertThat(written).containsExactly("ack 3", "ack 2");
    }

    @Test
    void aBatchBelowOneIsRefused() {
        assertThatThrownBy(() -> new AckCoalescer(frames, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Random interleavings of acks, requeues and flushes, checked against what the broker would do with the
     * frames: every tag ends acked or requeued exactly once, as it was settled, and no frame names a tag that is
     * no longer outstanding (which would close the channel).
     */
    @Test
    void randomInterleavingsSettleEveryTagExactlyOnceAsAsked() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            TreeSet<Long> outstanding = new TreeSet<>();
            Set<Long> brokerAcked = new HashSet<>();
            Set<Long> brokerRequeued = new HashSet<>();
            AckCoalescer.Frames broker = (deliveryTag, multiple, requeue) -> {
                if (requeue) {
                    assertThat(multiple).isFalse();
                    assertThat(outstanding.remove(deliveryTag)).isTrue();
                    brokerRequeued.add(deliveryTag);
                } else {
                    assertThat(outstanding).contains(deliveryTag);
                    Set<Long> covered = multiple ? new TreeSet<>(outstanding.headSet(deliveryTag, true)) : Set.of(deliveryTag);
                    outstanding.removeAll(covered);
                    brokerAcked.addAll(covered);
                }
            };
            AckCoalescer acks = new AckCoalescer(broker, 1 + random.nextInt(8));
            int count = 1 + random.nextInt(40);
            List<AckCoalescer.Tag> tags = new ArrayList<>();
            for (long tag = 1; tag <= count; tag++) {
                outstanding.add(tag);
                tags.add(acks.delivered(tag));
            }
            Set<Long> wantAcked = new HashSet<>();
            Set<Long> wantRequeued = new HashSet<>();
            List<AckCoalescer.Tag> order = new ArrayList<>(tags);
            java.util.Collections.shuffle(order, random);
            for (AckCoalescer.Tag tag : order) {
                long deliveryTag = tags.indexOf(tag) + 1L;
                if (random.nextInt(4) == 0) {
                    acks.requeue(tag);
                    wantRequeued.add(deliveryTag);
                } else {
                    acks.ack(tag);
                    wantAcked.add(deliveryTag);
                }
                if (random.nextInt(5) == 0) {
                    acks.flush();
                }
            }
            acks.flush();

            assertThat(outstanding).isEmpty();
            assertThat(brokerAcked).isEqualTo(wantAcked);
            assertThat(brokerRequeued).isEqualTo(wantRequeued);
        }
    }
}
