package dev.switchboard.inmemory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Payload;
import dev.switchboard.spi.OutboundMessage;
import java.util.function.BiConsumer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The queue's order, key exclusivity, redelivery and take-back, across its fresh and set-aside entries. */
class GroupQueueTest {
    private static final Object RECEIVER = new Object();
    private static final Duration NO_WAIT = Duration.ZERO;

    private final GroupQueue queue = new GroupQueue();

    @Test
    void takesInPublishOrderUpToTheLimit() throws InterruptedException {
        offer("a", null, "b", null, "c", null);

        assertThat(ids(queue.take(RECEIVER, 2, NO_WAIT))).containsExactly("a", "b");
        assertThat(ids(queue.take(RECEIVER, 5, NO_WAIT))).containsExactly("c");
        assertThat(queue.depth()).isEqualTo(3);
    }

    @Test
    void aKeyInFlightHoldsBackItsLaterEventsWhichThenComeInOrder() throws InterruptedException {
        offer("k1", "k", "x", null, "k2", "k", "k3", "k", "y", null);

        List<GroupQueue.Taken> first = queue.take(RECEIVER, 10, NO_WAIT);
        assertThat(ids(first)).containsExactly("k1", "x", "y");
        offer("z", null);
        assertThat(ids(queue.take(RECEIVER, 10, NO_WAIT))).containsExactly("z");

        assertThat(queue.ack(first.get(0))).isTrue();
        List<GroupQueue.Taken> second = queue.take(RECEIVER, 10, NO_WAIT);
        assertThat(ids(second)).containsExactly("k2");
        assertThat(queue.ack(second.get(0))).isTrue();
        assertThat(ids(queue.take(RECEIVER, 10, NO_WAIT))).containsExactly("k3");
    }

    @Test
    void aNackedEventReturnsToItsPlaceAfterItsDelayWithTheNextAttempt() throws InterruptedException {
        offer("a", null, "b", null);
        List<GroupQueue.Taken> taken = queue.take(RECEIVER, 1, NO_WAIT);
        assertThat(queue.nack(taken.get(0), Duration.ofMillis(30))).isTrue();

        assertThat(ids(queue.take(RECEIVER, 10, NO_WAIT))).containsExactly("b");
        List<GroupQueue.Taken> again = queue.take(RECEIVER, 10, Duration.ofSeconds(10));

        assertThat(ids(again)).containsExactly("a");
        assertThat(again.get(0).attempt()).isEqualTo(2);
    }

    @Test
    void setAsideAndFreshEventsMergeBySequence() throws InterruptedException {
        offer("a", null, "b", null, "c", null);
        List<GroupQueue.Taken> taken = queue.take(RECEIVER, 2, NO_WAIT);
        queue.nack(taken.get(1), Duration.ZERO);
        queue.nack(taken.get(0), Duration.ZERO);
        offer("d", null);

        assertThat(ids(queue.take(RECEIVER, 10, NO_WAIT))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void settlementsOfDeliveriesTakenBackAreStale() throws InterruptedException {
        offer("a", "k");
        GroupQueue.Taken first = queue.take(RECEIVER, 1, NO_WAIT).get(0);
        queue.recoverInFlight();

        assertThat(queue.ack(first)).isFalse();
        assertThat(queue.nack(first, Duration.ZERO)).isFalse();
        GroupQueue.Taken second = queue.take(RECEIVER, 1, NO_WAIT).get(0);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(queue.ack(second)).isTrue();
        assertThat(queue.ack(second)).isFalse();
        assertThat(queue.depth()).isZero();
    }

    @Test
    void givingBackReturnsOnlyWhatThatHolderHas() throws InterruptedException {
        Object other = new Object();
        offer("a", null, "b", null);
        GroupQueue.Taken mine = queue.take(RECEIVER, 1, NO_WAIT).get(0);
        GroupQueue.Taken theirs = queue.take(other, 1, NO_WAIT).get(0);

        queue.giveBack(RECEIVER);

        assertThat(queue.ack(mine)).isFalse();
        assertThat(queue.ack(theirs)).isTrue();
        assertThat(ids(queue.take(other, 10, NO_WAIT))).containsExactly("a");
    }

    /** Offers events given as id, key pairs (key null for none). */
    private void offer(String... idsAndKeys) {
        for (int i = 0; i < idsAndKeys.length; i += 2) {
            queue.offer(new Message(idsAndKeys[i], idsAndKeys[i + 1]));
        }
    }

    private static List<String> ids(List<GroupQueue.Taken> taken) {
        return taken.stream().map(GroupQueue.Taken::transportId).toList();
    }

    /** A message as the core would send it, reduced to what the queue looks at: its id and key. */
    private record Message(String id, String key) implements OutboundMessage {
        @Override
        public String type() {
            return "t";
        }

        @Override
        public long epochMillis() {
            return -1;
        }

        @Override
        public String contentType() {
            return null;
        }

        @Override
        public Payload body() {
            return Payload.EMPTY;
        }

        @Override
        public void forEachAttribute(String prefix, BiConsumer<String, String> visitor) {
            visitor.accept(prefix + "id", id);
        }

        @Override
        public long estimatedSize() {
            return id.length();
        }
    }
}
