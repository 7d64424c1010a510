package dev.switchboard.kafka.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.spi.Delivery;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.SubscriberDriver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer-group member. The consumer is only touched under {@link #consumerLock} (it is not
 * thread-safe): by {@link #receive} on the subscription's poller thread, and by {@link #close}. Acks and nacks
 * from handler threads only record progress; the poller commits it on its next receive.
 *
 * <ul>
 *   <li>Commits: per partition, the lowest unfinished offset, so that a record is committed only when it
 *       and every earlier record of its partition are finished. Committed asynchronously before each poll of
 *       the broker (and every {@link #COMMIT_INTERVAL} in between), synchronously on revocation and close.</li>
 *   <li>Nack with a delay: the record is handed out again from memory once the delay passed, with its
 *       attempt count raised, without blocking its partition or any other; its offset stays uncommitted
 *       meanwhile, so a crash redelivers it.</li>
 *   <li>Rebalance: revoked partitions commit their finished work; their unfinished records go to the new
 *       owner, and late acks for them are ignored.</li>
 * </ul>
 */
final class KafkaReceiver implements SubscriberDriver {
    private static final Logger log = LoggerFactory.getLogger(KafkaReceiver.class);
    /** Acks and nacks only record progress, so they are done when they return. */
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** Commits go out before every poll, and at least this often while fetched records are still being handed out. */
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private final KafkaDriver driver;
    private final ReceiverSpec spec;
    private final KafkaConsumer<String, byte[]> consumer;
    private final ReentrantLock consumerLock = new ReentrantLock();
    private final Map<TopicPartition, PartitionProgress> assigned = new ConcurrentHashMap<>();
    private final ArrayDeque<KafkaDelivery> fetched = new ArrayDeque<>();
    private final DelayQueue<Redelivery> redeliveries = new DelayQueue<>();
    private volatile boolean closed;
    /** When finished work was last committed; only the poller (under the consumer lock) reads and writes it. */
    private long lastCommitNanos = System.nanoTime();

    KafkaReceiver(KafkaDriver driver, ReceiverSpec spec, String topic, Map<String, Object> consumerConfig) {
        this.driver = driver;
        this.spec = spec;
        this.consumer = new KafkaConsumer<>(consumerConfig);
        this.consumer.subscribe(List.of(topic), new Rebalance());
    }

    @Override
    public List<Delivery> receive(int max, Duration maxWait) throws InterruptedException {
        consumerLock.lockInterruptibly();
        try {
            checkOpen();
            List<Delivery> out = new ArrayList<>(Math.min(max, 512));
            takeDueRedeliveries(out, max);
            if (out.isEmpty() && fetched.isEmpty()) {
                commitFinished(false);
                fetch(waitFor(maxWait));
            } else if (System.nanoTime() - lastCommitNanos >= COMMIT_INTERVAL.toNanos()) {
                commitFinished(false);
            }
            while (out.size() < max && !fetched.isEmpty()) {
                KafkaDelivery next = fetched.poll();
                if (!next.progress().isRevoked()) {
                    out.add(next);
                }
            }
            return out;
        } finally {
            consumerLock.unlock();
        }
    }

    @Override
    public CompletableFuture<Void> ack(Delivery delivery) {
        KafkaDelivery d = (KafkaDelivery) delivery;
        d.progress().finished(d.record().offset());
        return DONE;
    }

    @Override
    public CompletableFuture<Void> nack(Delivery delivery, Duration delay) {
        KafkaDelivery d = (KafkaDelivery) delivery;
        if (!closed && !d.progress().isRevoked()) {
            redeliveries.add(new Redelivery(d.redelivery(), System.nanoTime() + delay.toNanos()));
        }
        return DONE;
    }

    @Override
    public CompletableFuture<Void> deadLetter(Delivery delivery, EventEnvelope deadLetter) {
        return driver.sendOne(spec.deadLetterDestination(), deadLetter).thenApply(reference -> null);
    }

    /** Commits what is finished, then leaves the group so that the rest goes to the other members at once. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!consumerLock.tryLock()) {
            consumer.wakeup(); // the poller is inside poll(): make it return
            consumerLock.lock();
        }
        try {
            commitOnClose();
        } catch (RuntimeException e) {
            log.warn("{}/{}: final commit failed; unfinished and uncommitted records will be redelivered: {}",
                    spec.topic(), spec.group(), e.toString());
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.debug("{}/{}: consumer close: {}", spec.topic(), spec.group(), e.toString());
            }
            consumerLock.unlock();
        }
    }

    /** A wakeup meant for the poller may land on this commit instead; then the commit is simply repeated. */
    private void commitOnClose() {
        try {
            commitFinished(true);
        } catch (WakeupException e) {
            commitFinished(true);
        }
    }

    private void fetch(Duration wait) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
            PartitionProgress progress = assigned.get(new TopicPartition(record.topic(), record.partition()));
            if (progress == null) {
                continue;
            }
            progress.fetched(record.offset());
            fetched.add(new KafkaDelivery(progress, record, 1));
        }
    }

    private void takeDueRedeliveries(List<Delivery> out, int max) {
        Redelivery due;
        while (out.size() < max && (due = redeliveries.poll()) != null) {
            if (!due.delivery.progress().isRevoked()) {
                out.add(due.delivery);
            }
        }
    }

    /** Polls no longer than until the next redelivery is due. */
    private Duration waitFor(Duration maxWait) {
        Redelivery next = redeliveries.peek();
        if (next == null) {
            return maxWait;
        }
        long untilDue = Math.max(0, next.getDelay(TimeUnit.NANOSECONDS));
        return untilDue < maxWait.toNanos() ? Duration.ofNanos(untilDue) : maxWait;
    }

    private void commitFinished(boolean sync) {
        lastCommitNanos = System.nanoTime();
        commit(assigned.values(), sync);
    }

    private void commit(Collection<PartitionProgress> partitions, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionProgress progress : partitions) {
            long position = progress.positionToCommit();
            if (position >= 0) {
                offsets.put(progress.partition, new OffsetAndMetadata(position));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(offsets);
            markCommitted(offsets);
        } else {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error == null) {
                    markCommitted(committed);
                } else {
                    log.debug("{}/{}: async commit failed, retried on the next receive: {}", spec.topic(), spec.group(),
                            error.toString());
                }
            });
        }
    }

    private void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            PartitionProgress progress = assigned.get(partition);
            if (progress != null) {
                progress.committed(offset.offset());
            }
        });
    }

    private void checkOpen() {
        if (closed) {
            throw new MessagingException(ErrorCode.CANCELLED, "receiver of " + spec.topic() + "/" + spec.group() + " is closed");
        }
    }

    /** Called inside {@code poll}, on the poller thread, with the consumer lock held. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> assigned.put(p, new PartitionProgress(p)));
            log.debug("{}/{}: assigned {}", spec.topic(), spec.group(), partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<PartitionProgress> revoked = partitions.stream().map(assigned::get).filter(p -> p != null).toList();
            try {
                commit(revoked, true);
            } catch (RuntimeException e) {
                log.warn("{}/{}: commit on revocation failed, the new owner redelivers: {}", spec.topic(), spec.group(),
                        e.toString());
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> {
                PartitionProgress progress = assigned.remove(p);
                if (progress != null) {
                    progress.revoke();
                }
            });
            fetched.removeIf(d -> d.progress().isRevoked());
            log.debug("{}/{}: revoked {}", spec.topic(), spec.group(), partitions);
        }
    }

    /** A nacked delivery waiting for its redelivery time. */
    private record Redelivery(KafkaDelivery delivery, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Redelivery) other).dueNanos);
        }
    }
}
