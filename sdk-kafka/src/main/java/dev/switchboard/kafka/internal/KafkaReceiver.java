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
    /** How long a poller waits between looks while suspects wait for what is out to finish. */
    private static final Duration QUARANTINE_LOOK = Duration.ofMillis(2);

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
    /** Partitions whose previous owner died, with the records it may have been handling; only the poller touches it. */
    private final Map<TopicPartition, CrashMarks.Suspects> quarantine = new HashMap<>();
    /** Quarantined partitions whose suspects are out together right now (see {@link CrashMarks#batch}). */
    private final Set<TopicPartition> batchOut = new HashSet<>();
    /**
     * How far beyond the last fetched record a {@code running} mark reaches: two polls' worth, so that the mark
     * committed (asynchronously) before one poll is confirmed before the next poll's records go out.
     */
    private final long markAhead;
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
        this.markAhead = 2L * Integer.parseInt(String.valueOf(consumerConfig.getOrDefault(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500))) + 100;
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
            if (!quarantine.isEmpty()) {
                return receiveInQuarantine(max, maxWait);
            }
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
                if (!quarantine.isEmpty()) { // this poll assigned partitions a dead member left
                    dueAgain.addAll(out);
                    return receiveInQuarantine(max, Duration.ZERO);
                }
            } else if (System.nanoTime() - lastCommitNanos >= COMMIT_INTERVAL.toNanos()) {
                commitFinished(false);
            }
            while (out.size() < max && !fetched.isEmpty()) {
                KafkaMessage next = fetched.poll();
                if (!next.progress().isRevoked()) {
                    out.add(next);
                }
            }
            markOut(out);
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
            commit(assigned.values(), true, true);
        } catch (WakeupException e) {
            commit(assigned.values(), true, true);
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
        commit(assigned.values(), sync, false);
    }

    /**
     * Commits each partition's finished position where it moved, with its {@link CrashMarks} mark: {@code running} up
     * to {@link PartitionProgress#markedUpTo()} while this member runs (a quarantined partition is committed by its
     * trials instead); when it lets the partition go ({@code handingOver}) every position, {@code clean}, or for a
     * partition still quarantined {@code running} up to its last suspect, so that the next owner goes on with them.
     */
    private void commit(Collection<PartitionProgress> partitions, boolean sync, boolean handingOver) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionProgress progress : partitions) {
            CrashMarks.Suspects suspects = quarantine.get(progress.partition);
            if (handingOver) {
                long position = progress.position();
                if (position >= 0) {
                    offsets.put(progress.partition, new OffsetAndMetadata(position,
                            suspects != null ? CrashMarks.running(suspects.upTo()) : CrashMarks.CLEAN));
                }
                continue;
            }
            if (suspects != null) {
                continue;
            }
            long lastFetched = progress.lastFetched();
            boolean markDue = lastFetched >= 0 && lastFetched + markAhead / 2 > progress.markedUpTo();
            long position = progress.positionToCommit();
            if (position >= 0 || markDue) {
                long upTo = markDue ? Math.max(progress.markedUpTo(), lastFetched + markAhead) : progress.markedUpTo();
                offsets.put(progress.partition, new OffsetAndMetadata(position >= 0 ? position : progress.position(),
                        CrashMarks.running(upTo)));
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
                progress.marked(CrashMarks.runningUpTo(offset.metadata()));
            }
        });
    }

    /**
     * Before records go out: where one lies beyond what the committed metadata says may be out, commits (and waits
     * for) a {@code running} mark {@link #markAhead} records further, so that a member taking over after this one
     * dies knows every record that was out. The periodic commits move the mark ahead before it is needed, so this
     * waits only for the first records of a partition and after a burst. If the commit fails the records go back to
     * the head of what was fetched.
     */
    private void markOut(List<KafkaMessage> out) {
        Map<PartitionProgress, Long> planned = null;
        for (KafkaMessage message : out) {
            PartitionProgress progress = message.progress();
            long offset = message.record().offset();
            if (offset > progress.markedUpTo() && (planned == null || offset > planned.getOrDefault(progress, -1L))) {
                planned = planned == null ? new HashMap<>() : planned;
                planned.put(progress, offset + markAhead);
            }
        }
        if (planned == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> marks = new HashMap<>();
        planned.forEach((progress, upTo) -> marks.put(progress.partition,
                new OffsetAndMetadata(Math.max(0, progress.position()), CrashMarks.running(upTo))));
        if (marks == null) {
            return;
        }
        try {
            consumer.commitSync(marks);
        } catch (RuntimeException e) {
            for (int i = out.size() - 1; i >= 0; i--) {
                fetched.addFirst(out.get(i));
            }
            throw e;
        }
        marks.forEach((partition, mark) -> {
            PartitionProgress progress = assigned.get(partition);
            if (progress != null) {
                progress.committed(mark.offset());
                progress.marked(CrashMarks.runningUpTo(mark.metadata()));
            }
        });
    }

    /**
     * After a member died (see {@link CrashMarks}): first its suspects all together, alone (nothing else of this
     * receiver out, a {@code batch} mark committed first); where that mark shows a member died during such a batch,
     * one at a time, each alone and only after its try is committed, so that a record whose handling kills the
     * process is counted, and past the retry policy's last attempt dead-lettered by the core without being handled
     * again. Records of other partitions go out whenever no suspect waits; records of a quarantined partition past
     * its suspects wait until its quarantine ends.
     */
    private List<KafkaMessage> receiveInQuarantine(int max, Duration maxWait) {
        quarantine.entrySet().removeIf(e -> {
            PartitionProgress progress = assigned.get(e.getKey());
            boolean over = progress == null || progress.position() > e.getValue().upTo();
            if (over) {
                batchOut.remove(e.getKey());
            }
            return over;
        });
        if (quarantine.isEmpty()) {
            log.info("{}/{}: the records out when a member died have been handled again; back to normal", spec.topic(),
                    spec.group());
            return List.of();
        }
        commitFinished(false);
        // fetch again when nothing fetched may go out now: records past a quarantined partition's suspects wait
        // here, and while they do, another partition's suspects would otherwise never be fetched (a stall seen
        // after a broker restart, when this member found its own marks on several partitions)
        if (fetched.isEmpty() || fetched.size() < markAhead && fetched.stream().noneMatch(this::mayGoOutInQuarantine)) {
            fetch(QUARANTINE_LOOK);
        }
        List<TopicPartition> batch = quarantine.entrySet().stream().filter(e -> !e.getValue().oneAtATime())
                .map(Map.Entry::getKey).toList();
        if (!batch.isEmpty()) {
            return handOutBatch(batch, max);
        }
        KafkaMessage suspect = nextSuspect();
        if (suspect != null) {
            if (handedOutUnfinished() > 0) {
                pollIdle(QUARANTINE_LOOK); // the suspect must run alone: wait for what is out
                return List.of();
            }
            fetched.remove(suspect);
            return List.of(startTrial(suspect));
        }
        List<KafkaMessage> out = takeFetched(max, message -> !quarantine.containsKey(message.progress().partition));
        if (out.isEmpty()) {
            pollIdle(maxWait);
        }
        markOut(out);
        return out;
    }

    /** Whether a fetched record may go out during the quarantine: a suspect, or a record of a partition not quarantined. */
    private boolean mayGoOutInQuarantine(KafkaMessage message) {
        CrashMarks.Suspects suspects = quarantine.get(message.progress().partition);
        return !message.progress().isRevoked() && (suspects == null || message.record().offset() <= suspects.upTo());
    }

    /** The suspects of {@code partitions}, all together and alone: once what is out finished, a batch mark, then them. */
    private List<KafkaMessage> handOutBatch(List<TopicPartition> partitions, int max) {
        if (!batchOut.containsAll(partitions)) {
            if (handedOutUnfinished() > 0) {
                pollIdle(QUARANTINE_LOOK);
                return List.of();
            }
            Map<TopicPartition, OffsetAndMetadata> marks = new HashMap<>();
            partitions.forEach(partition -> {
                CrashMarks.Suspects suspects = quarantine.get(partition);
                marks.put(partition, new OffsetAndMetadata(suspects.from(), CrashMarks.batch(suspects.from(), suspects.upTo())));
            });
            consumer.commitSync(marks);
            batchOut.addAll(partitions);
            log.warn("{}/{}: handing out the records that were out when a member died, alone: {}", spec.topic(),
                    spec.group(), partitions.stream().map(p -> p + " " + quarantine.get(p).from() + ".." + quarantine.get(p).upTo()).toList());
        }
        List<KafkaMessage> out = takeFetched(max, message -> {
            CrashMarks.Suspects suspects = quarantine.get(message.progress().partition);
            return suspects != null && !suspects.oneAtATime() && message.record().offset() <= suspects.upTo();
        });
        if (out.isEmpty()) {
            pollIdle(QUARANTINE_LOOK);
        }
        return out;
    }

    /** Takes up to {@code max} fetched records that {@code which} accepts, in fetch order; drops revoked ones. */
    private List<KafkaMessage> takeFetched(int max, java.util.function.Predicate<KafkaMessage> which) {
        List<KafkaMessage> out = new ArrayList<>();
        for (Iterator<KafkaMessage> it = fetched.iterator(); it.hasNext() && out.size() < max; ) {
            KafkaMessage next = it.next();
            if (next.progress().isRevoked()) {
                it.remove();
            } else if (which.test(next)) {
                it.remove();
                out.add(next);
            }
        }
        return out;
    }

    /** The lowest fetched record of a partition quarantined one at a time that is one of its suspects, or null. */
    private KafkaMessage nextSuspect() {
        KafkaMessage lowest = null;
        for (KafkaMessage message : fetched) {
            CrashMarks.Suspects suspects = quarantine.get(message.progress().partition);
            long offset = message.record().offset();
            if (suspects != null && suspects.oneAtATime() && offset <= suspects.upTo() && !message.progress().isRevoked()
                    && (lowest == null || lowest.progress() == message.progress() && offset < lowest.record().offset())) {
                lowest = message;
            }
        }
        return lowest;
    }

    /** Commits that the suspect is being tried, how often now, then hands it out with its attempt raised by its earlier tries. */
    private KafkaMessage startTrial(KafkaMessage suspect) {
        TopicPartition partition = suspect.progress().partition;
        CrashMarks.Suspects suspects = quarantine.get(partition);
        long offset = suspect.record().offset();
        int tries = suspects.triesIncluding(offset);
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset, CrashMarks.trying(offset, tries, suspects.upTo()))));
        log.warn("{}/{}: handling {} alone, try {} since a member died while it was out", spec.topic(), spec.group(),
                suspect.transportId(), tries);
        return suspect.withEarlierTries(tries - 1);
    }

    /** Records handed out and not finished yet: fetched and unfinished, less what still waits here. */
    private int handedOutUnfinished() {
        int unfinished = 0;
        for (PartitionProgress progress : assigned.values()) {
            unfinished += progress.unfinished();
        }
        int waiting = fetched.size() + dueAgain.size();
        for (List<KafkaMessage> held : notDue.values()) {
            waiting += held.size();
        }
        return unfinished - waiting;
    }

    /** Waits up to {@code wait} in {@code poll} with every partition paused: the member stays in its group. */
    private void pollIdle(Duration wait) {
        Set<TopicPartition> toPause = new HashSet<>(consumer.assignment());
        toPause.removeAll(consumer.paused());
        consumer.pause(toPause);
        fetch(wait);
        toPause.retainAll(consumer.assignment());
        consumer.resume(toPause);
    }

    /** Called inside {@code poll}, on the poller thread, with the consumer lock held. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> assigned.put(p, new PartitionProgress(p)));
            if (!partitions.isEmpty()) {
                findSuspects(partitions);
            }
            log.debug("{}/{}: assigned {}", spec.topic(), spec.group(), partitions);
        }

        /**
         * Reads the marks the partitions were committed with: where the previous owner died with records out, those
         * up to the partition's end (nothing later can have been out) are quarantined.
         */
        private void findSuspects(Collection<TopicPartition> partitions) {
            Map<TopicPartition, CrashMarks.Suspects> found = new HashMap<>();
            consumer.committed(new HashSet<>(partitions)).forEach((partition, committed) -> {
                if (committed != null) {
                    CrashMarks.read(committed.offset(), committed.metadata()).ifPresent(s -> found.put(partition, s));
                }
            });
            if (found.isEmpty()) {
                return;
            }
            consumer.endOffsets(found.keySet()).forEach((partition, end) -> {
                CrashMarks.Suspects marked = found.get(partition);
                long upTo = Math.min(marked.upTo(), end - 1);
                if (upTo >= marked.from()) {
                    quarantine.put(partition, new CrashMarks.Suspects(marked.from(), upTo, marked.triesAtFrom(),
                            marked.oneAtATime()));
                    log.warn("{}/{}: the member before this one stopped without closing while records of {} were out;"
                            + " handling offsets {} to {} again {}", spec.topic(), spec.group(), partition,
                            marked.from(), upTo, marked.oneAtATime() ? "one at a time" : "together, alone");
                }
            });
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<PartitionProgress> revoked = partitions.stream().map(assigned::get).filter(p -> p != null).toList();
            try {
                commit(revoked, true, true);
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
            quarantine.keySet().removeAll(partitions);
            batchOut.removeAll(partitions);
            log.debug("{}/{}: revoked {}", spec.topic(), spec.group(), partitions);
        }
    }
}
