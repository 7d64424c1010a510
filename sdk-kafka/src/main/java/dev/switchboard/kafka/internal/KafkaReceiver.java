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
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 *   <li>Nack: Kafka cannot give one record back while the member runs, so a nacked record is copied to the
 *       group's retry topic, which this member also reads, and then finished ({@link #nack}); a retry-topic
 *       record is handed out once it is due.</li>
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
    /** Set by {@link #pause}: a drain has begun, and what it gives back stays unfinished instead of being copied. */
    private volatile boolean draining;
    private final String retryTopic;
    private final ScheduledExecutorService scheduler;
    /** Retry-topic records fetched before they are due, per (paused) partition; only the poller touches it. */
    private final Map<TopicPartition, List<KafkaMessage>> notDue = new HashMap<>();
    /** Records whose copy to the retry topic failed, due again: handed out before anything fetched. */
    private final Queue<KafkaMessage> dueAgain = new ConcurrentLinkedQueue<>();
    /** Whether {@link #keepAlive} paused the partitions; only the poller (under the consumer lock) reads and writes it. */
    private boolean pausedForWindow;
    /** Whether a record without {@code ce_time} takes its timestamp as the event's time. */
    private final boolean timeInRecordTimestamp;
    /** When finished work was last committed; only the poller (under the consumer lock) reads and writes it. */
    private long lastCommitNanos = System.nanoTime();

    /**
     * @param retryTopic the group's retry topic, read beside {@code topic}; null for a dead-letter reader, whose
     *     nacked records simply stay unfinished
     * @param scheduler for a record whose copy to the retry topic failed: it is handed out again here after its delay
     */
    KafkaReceiver(KafkaDriver driver, ReceiverSpec spec, String topic, String retryTopic,
                  Map<String, Object> consumerConfig, boolean timeInRecordTimestamp, ScheduledExecutorService scheduler) {
        this.driver = driver;
        this.retryTopic = retryTopic;
        this.scheduler = scheduler;
        this.timeInRecordTimestamp = timeInRecordTimestamp;
        this.spec = spec;
        this.consumer = new KafkaConsumer<>(consumerConfig);
        this.topic = topic;
        this.group = String.valueOf(consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG));
        this.fromEarliest = "earliest".equals(
                String.valueOf(consumerConfig.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)));
        // looked up before any other thread can use the consumer; afterwards only the metrics are read
        this.connectivity = new ClientConnectivity(consumer.metrics(), "consumer-metrics");
        this.consumer.subscribe(retryTopic == null ? List.of(topic) : List.of(topic, retryTopic), new Rebalance());
    }

    @Override
    public List<KafkaMessage> receive(int max, Duration maxWait) throws InterruptedException {
        consumerLock.lockInterruptibly();
        try {
            if (pausedForWindow) {
                Set<TopicPartition> paused = new HashSet<>(consumer.paused());
                paused.removeAll(notDue.keySet());
                consumer.resume(paused);
                pausedForWindow = false;
            }
            releaseDue();
            List<KafkaMessage> out = new ArrayList<>(Math.min(max, 512));
            KafkaMessage again;
            while (out.size() < max && (again = dueAgain.poll()) != null) {
                if (!again.progress().isRevoked()) {
                    out.add(again);
                }
            }
            if (fetched.isEmpty()) {
                commitFinished(false);
                fetch(out.isEmpty() ? maxWait : Duration.ZERO);
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

    /**
     * Copies each record to the group's retry topic, due after {@code delay}, and finishes it once the copy is
     * written (see {@link RetryRecords}); the copy comes back to the group with the next attempt. Where the copy
     * cannot be written, the record is handed out again here after the delay, with the next attempt. Once a drain
     * has begun ({@link #pause}), and for a dead-letter reader, the records stay unfinished instead: they return
     * to the group from where they are when the receiver closes, in their partition's order.
     */
    @Override
    public CompletableFuture<Void> nack(List<InboundMessage> messages, Duration delay) {
        if (retryTopic == null || draining) {
            return DONE;
        }
        long due = System.currentTimeMillis() + delay.toMillis();
        CompletableFuture<?>[] copies = new CompletableFuture<?>[messages.size()];
        for (int i = 0; i < copies.length; i++) {
            KafkaMessage message = (KafkaMessage) messages.get(i);
            copies[i] = driver.send(RetryRecords.copy(retryTopic, message, due)).handle((reference, error) -> {
                if (error == null) {
                    message.finish();
                } else {
                    log.warn("{}/{}: copying event at {} to {} failed, retrying it here in {} ms: {}", spec.topic(),
                            spec.group(), message.transportId(), retryTopic, delay.toMillis(), error.toString());
                    handOutAgain(message, due, delay);
                }
                return null;
            });
        }
        return CompletableFuture.allOf(copies);
    }

    @Override
    public void pause() {
        draining = true;
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

    private void handOutAgain(KafkaMessage message, long due, Duration delay) {
        KafkaMessage next = new KafkaMessage(message.progress(), message.record(), timeInRecordTimestamp,
                new RetryRecords.Retry(message.attempt() + 1, due, message.transportId()));
        try {
            scheduler.schedule(() -> dueAgain.add(next), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closing: the record stays unfinished and returns to the group
        }
    }

    /**
     * Polls, and keeps what came: a retry-topic record that is not due yet waits in {@link #notDue} with its
     * partition paused (so that no more of it is fetched meanwhile); everything else goes out in fetch order.
     */
    private void fetch(Duration wait) {
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            PartitionProgress progress = assigned.get(partition);
            if (progress == null) {
                continue;
            }
            progress.fetched(record.offset());
            if (retryTopic == null || !record.topic().equals(retryTopic)) {
                fetched.add(new KafkaMessage(progress, record, timeInRecordTimestamp));
                continue;
            }
            KafkaMessage retry = new KafkaMessage(progress, record, timeInRecordTimestamp, RetryRecords.read(record));
            if (retry.dueMillis() <= now) {
                fetched.add(retry);
            } else {
                notDue.computeIfAbsent(partition, p -> new ArrayList<>()).add(retry);
                consumer.pause(Set.of(partition));
            }
        }
    }

    /** Moves the retry-topic records that have come due to the fetched ones; resumes a partition with none left. */
    private void releaseDue() {
        if (notDue.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        for (Iterator<Map.Entry<TopicPartition, List<KafkaMessage>>> it = notDue.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, List<KafkaMessage>> waiting = it.next();
            waiting.getValue().removeIf(message -> {
                if (message.dueMillis() <= now) {
                    fetched.add(message);
                    return true;
                }
                return false;
            });
            if (waiting.getValue().isEmpty()) {
                it.remove();
                consumer.resume(Set.of(waiting.getKey()));
            }
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
            notDue.keySet().removeAll(partitions);
            log.debug("{}/{}: revoked {}", spec.topic(), spec.group(), partitions);
        }
    }
}
