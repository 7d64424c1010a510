package dev.switchboard.kafka.internal;

import dev.switchboard.Connectivity;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
 * thread-safe): by {@link #receive} and {@link #keepAlive} on the subscription's poller thread, and by
 * {@link #close}. Acks from handler threads only record progress; the poller commits it on its next receive.
 *
 * <ul>
 *   <li>Commits: per partition, the lowest unfinished offset, so that a record is committed only when it
 *       and every earlier record of its partition are finished. Committed asynchronously before each poll of
 *       the broker (and every {@link #COMMIT_INTERVAL} in between), synchronously on revocation and close.</li>
 *   <li>Nack: Kafka cannot give one record back while the member runs, so a nacked record stays unfinished
 *       and goes back to the group when the receiver closes (the core waits out retry delays itself and
 *       nacks only when it drains).</li>
 *   <li>Rebalance: revoked partitions commit their finished work; their unfinished records go to the new
 *       owner, and late acks for them are ignored.</li>
 * </ul>
 */
final class KafkaReceiver implements ReceiverDriver {
    private static final Logger log = LoggerFactory.getLogger(KafkaReceiver.class);
    /** Acks and nacks only record progress (or nothing), so they are done when they return. */
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** Commits go out before every poll, and at least this often while fetched records are still being handed out. */
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private final KafkaDriver driver;
    private final ReceiverSpec spec;
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final String group;
    private final boolean fromEarliest;
    private final ClientConnectivity connectivity;
    private final ReentrantLock consumerLock = new ReentrantLock();
    private final Map<TopicPartition, PartitionProgress> assigned = new ConcurrentHashMap<>();
    private final ArrayDeque<KafkaMessage> fetched = new ArrayDeque<>();
    private volatile boolean closed;
    /** Whether {@link #keepAlive} paused the partitions; only the poller (under the consumer lock) reads and writes it. */
    private boolean pausedForWindow;
    /** Whether a record without {@code ce_time} takes its timestamp as the event's time. */
    private final boolean timeInRecordTimestamp;
    /** When finished work was last committed; only the poller (under the consumer lock) reads and writes it. */
    private long lastCommitNanos = System.nanoTime();

    KafkaReceiver(KafkaDriver driver, ReceiverSpec spec, String topic, Map<String, Object> consumerConfig,
                  boolean timeInRecordTimestamp) {
        this.driver = driver;
        this.timeInRecordTimestamp = timeInRecordTimestamp;
        this.spec = spec;
        this.consumer = new KafkaConsumer<>(consumerConfig);
        this.topic = topic;
        this.group = String.valueOf(consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG));
        this.fromEarliest = "earliest".equals(
                String.valueOf(consumerConfig.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)));
        // looked up before any other thread can use the consumer; afterwards only the metrics are read
        this.connectivity = new ClientConnectivity(consumer.metrics(), "consumer-metrics");
        this.consumer.subscribe(List.of(topic), new Rebalance());
    }

    @Override
    public List<KafkaMessage> receive(int max, Duration maxWait) throws InterruptedException {
        consumerLock.lockInterruptibly();
        try {
            if (pausedForWindow) {
                consumer.resume(consumer.paused());
                pausedForWindow = false;
            }
            List<KafkaMessage> out = new ArrayList<>(Math.min(max, 512));
            if (fetched.isEmpty()) {
                commitFinished(false);
                fetch(maxWait);
            } else if (System.nanoTime() - lastCommitNanos >= COMMIT_INTERVAL.toNanos()) {
                commitFinished(false);
            }
            while (out.size() < max && !fetched.isEmpty()) {
                KafkaMessage next = fetched.poll();
                if (!next.progress().isRevoked()) {
                    out.add(next);
                }
            }
            return out;
        } finally {
            consumerLock.unlock();
        }
    }

    /**
     * The core's window is full: polls with every partition paused, so that the member stays in its group however
     * long the handlers take ({@code max.poll.interval.ms} counts from the last poll), and commits what finished.
     * Records of partitions assigned during this poll are kept for the next receive. The next receive resumes.
     */
    @Override
    public void keepAlive() throws InterruptedException {
        consumerLock.lockInterruptibly();
        try {
            consumer.pause(consumer.assignment());
            pausedForWindow = true;
            commitFinished(false);
            fetch(Duration.ZERO);
            consumer.pause(consumer.assignment());
        } finally {
            consumerLock.unlock();
        }
    }

    @Override
    public CompletableFuture<Void> ack(List<InboundMessage> messages) {
        for (InboundMessage message : messages) {
            ((KafkaMessage) message).finish();
        }
        return DONE;
    }

    /** Leaves the records unfinished: their offsets stay uncommitted, and they return to the group on close. */
    @Override
    public CompletableFuture<Void> nack(List<InboundMessage> messages, Duration delay) {
        return DONE;
    }

    @Override
    public CompletableFuture<Void> deadLetter(InboundMessage original, OutboundMessage deadLetter) {
        return driver.send(spec.deadLetterDestination(), List.of(deadLetter)).get(0).thenApply(reference -> null);
    }

    /** From the consumer's network metrics (see {@link ClientConnectivity}): a poll does not fail while the broker is down. */
    @Override
    public Connectivity connectivity() {
        return connectivity.get();
    }

    /** The group's end offsets minus its committed ones on the topic, asked with the driver's admin client. */
    @Override
    public OptionalLong lag() {
        return driver.lag().of(group, topic, fromEarliest);
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
            fetched.add(new KafkaMessage(progress, record, timeInRecordTimestamp));
        }
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
            fetched.removeIf(m -> m.progress().isRevoked());
            log.debug("{}/{}: revoked {}", spec.topic(), spec.group(), partitions);
        }
    }
}
