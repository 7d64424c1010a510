package dev.switchboard.rabbitmq.internal;

import dev.switchboard.Connectivity;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of a partitioned group (see {@link Topology}): consumes every partition queue, each with a receiver of
 * its own ({@link RabbitMqReceiver}), and lets the broker's single active consumer pick which member gets a
 * partition. To spread the partitions over the members it owns some ({@link GroupMembers}); when it is handed messages
 * from a partition it does not own (it is that partition's active consumer) it gives up its place — once what it
 * handed out from that partition is settled, it closes that receiver (its unacknowledged messages go back to the head
 * of the queue) and consumes the queue anew, at the back of the line — until the owner is the active consumer. So a
 * partition moves only between handled messages, per-key order holds, and a member that dies leaves its partitions to
 * the next consumer in line at once.
 *
 * <p>Every hand-over gives the prefetched messages back, and a quorum queue counts that as a delivery, so hand-overs
 * are kept few: a member yields only once the group's view is {@linkplain GroupMembers#settled() settled}, not while
 * members still disagree on who owns what (which would pass a partition back and forth). A settled view holds the
 * owner, and every member consumes every partition, so the owner waits in the queue's line to take over. (The broker
 * cannot be asked instead: a quorum queue with a single active consumer counts only the active one.) Thread-safe; the
 * poller calls {@link #receive}, settling comes from any thread.
 */
final class PartitionedReceiver implements ReceiverDriver {
    private static final Logger log = LoggerFactory.getLogger(PartitionedReceiver.class);
    /** How long a receive waits on one partition before looking at the others again. */
    private static final Duration LOOK = Duration.ofMillis(20);

    /** One partition queue's receiver, and what it has handed out that is not settled yet. */
    private static final class Partition {
        final int index;
        volatile RabbitMqReceiver receiver;
        final AtomicInteger out = new AtomicInteger();
        volatile boolean yielding;

        Partition(int index, RabbitMqReceiver receiver) {
            this.index = index;
            this.receiver = receiver;
        }
    }

    /** A delivery and the partition it came from, so that settling goes to that partition's receiver. */
    private record Owned(InboundMessage delivery, Partition partition) implements InboundMessage {
        @Override
        public void forEachHeader(java.util.function.BiConsumer<String, String> visitor) {
            delivery.forEachHeader(visitor);
        }

        @Override
        public String contentType() {
            return delivery.contentType();
        }

        @Override
        public dev.switchboard.Payload body() {
            return delivery.body();
        }

        @Override
        public String key() {
            return delivery.key();
        }

        @Override
        public String transportId() {
            return delivery.transportId();
        }

        @Override
        public int attempt() {
            return delivery.attempt();
        }

        @Override
        public <T> java.util.Optional<T> unwrap(Class<T> type) {
            return delivery.unwrap(type);
        }
    }

    private final List<Partition> partitions = new ArrayList<>();
    private final Function<Integer, RabbitMqReceiver> open;
    private final GroupMembers members;
    private Set<Integer> owned = Set.of();
    private boolean settled;
    private int next;

    /** @param open opens a receiver on partition queue {@code i} */
    PartitionedReceiver(int count, Function<Integer, RabbitMqReceiver> open, GroupMembers members) {
        this.open = open;
        this.members = members;
        for (int i = 0; i < count; i++) {
            partitions.add(new Partition(i, open.apply(i)));
        }
    }

    @Override
    public List<? extends InboundMessage> receive(int max, Duration maxWait) throws InterruptedException {
        rebalance();
        long deadline = System.nanoTime() + maxWait.toNanos();
        List<InboundMessage> out = new ArrayList<>();
        do {
            for (int i = 0; i < partitions.size() && out.size() < max; i++) {
                Partition partition = partitions.get((next + i) % partitions.size());
                if (partition.yielding) {
                    continue;
                }
                List<? extends InboundMessage> handed = partition.receiver.receive(max - out.size(), Duration.ZERO);
                for (InboundMessage delivery : handed) {
                    partition.out.incrementAndGet();
                    out.add(new Owned(delivery, partition));
                }
                // only the active consumer is handed messages: this member is, and may not own the partition
                partition.yielding = !handed.isEmpty() && settled && !owned.contains(partition.index);
            }
            next = (next + 1) % partitions.size();
            if (out.isEmpty()) {
                Thread.sleep(Math.max(1, Math.min(LOOK.toMillis(), (deadline - System.nanoTime()) / 1_000_000)));
            }
        } while (out.isEmpty() && System.nanoTime() - deadline < 0);
        return out;
    }

    /** Reads which partitions this member owns now; finishes the yields whose handed-out messages are settled. */
    private void rebalance() {
        Set<Integer> now = members.owned(partitions.size());
        settled = members.settled();
        if (!now.equals(owned)) {
            log.info("{}: this member now owns partitions {} of {}", partitions.get(0).receiver.queue(), now,
                    partitions.size());
            owned = now;
        }
        for (Partition partition : partitions) {
            if (partition.yielding && partition.out.get() == 0) {
                partition.receiver.close();
                partition.receiver = open.apply(partition.index);
                partition.yielding = false;
            }
        }
    }

    @Override
    public CompletableFuture<Void> ack(List<InboundMessage> messages) {
        return settle(messages, (receiver, batch) -> receiver.ack(batch));
    }

    @Override
    public CompletableFuture<Void> nack(List<InboundMessage> messages, Duration delay) {
        return settle(messages, (receiver, batch) -> receiver.nack(batch, delay));
    }

    @Override
    public CompletableFuture<Void> deadLetter(InboundMessage original, OutboundMessage deadLetter) {
        Owned owned = (Owned) original;
        return owned.partition().receiver.deadLetter(owned.delivery(), deadLetter);
    }

    /** Settles each partition's share with its receiver; a partition's count drops once its call completed. */
    private CompletableFuture<Void> settle(List<InboundMessage> messages,
                                           java.util.function.BiFunction<RabbitMqReceiver, List<InboundMessage>, CompletableFuture<Void>> call) {
        Map<Partition, List<InboundMessage>> byPartition = new LinkedHashMap<>();
        for (InboundMessage message : messages) {
            Owned owned = (Owned) message;
            byPartition.computeIfAbsent(owned.partition(), p -> new ArrayList<>()).add(owned.delivery());
        }
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        byPartition.forEach((partition, batch) -> calls.add(call.apply(partition.receiver, batch)
                .whenComplete((ok, error) -> partition.out.addAndGet(-batch.size()))));
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    @Override
    public void pause() {
        partitions.forEach(p -> p.receiver.pause());
    }

    @Override
    public void close() {
        members.close();
        partitions.forEach(p -> p.receiver.close());
    }

    /** Connected while every partition's consumer channel is open. */
    @Override
    public Connectivity connectivity() {
        return partitions.stream().allMatch(p -> p.receiver.connectivity() == Connectivity.CONNECTED)
                ? Connectivity.CONNECTED : Connectivity.DISCONNECTED;
    }

    /** The ready messages of every partition queue. */
    @Override
    public OptionalLong lag() {
        long sum = 0;
        for (Partition partition : partitions) {
            sum += partition.receiver.lag().orElse(0);
        }
        return OptionalLong.of(sum);
    }
}
