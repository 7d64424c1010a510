package dev.switchboard.aws.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.aws.AwsOptions;
import dev.switchboard.spi.Delivery;
import dev.switchboard.spi.SubscriberDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Consumes one SQS queue with parallel long-polling receivers that fill a local buffer, never holding more
 * unsettled messages than the core's in-flight limit. A receiver still in its long poll when the consumer
 * closes hands whatever it gets straight back (visibility 0), which SQS counts as a receive.
 *
 * <ul>
 *   <li>Acks are deletes, sent in batches of up to 10, as many calls at once as there are receivers
 *       ({@link AckBatcher}). A message keeps its in-flight slot until its delete completed: the limit bounds
 *       the messages taken off the queue and not yet settled, so slow or failing deletes hold receiving back
 *       instead of piling up handled messages that SQS would hand out again.</li>
 *   <li>A retry with a delay changes the message's visibility timeout to the delay (whole seconds, at most
 *       12 hours), so SQS redelivers it then; the attempt count is SQS's {@code ApproximateReceiveCount}.</li>
 *   <li>While a message is held (buffered or being handled) its visibility is extended every third of the
 *       visibility timeout, so a long handler does not see its message redelivered to another member.</li>
 *   <li>A dead letter is sent to the dead-letter queue explicitly, with its diagnostics, before the
 *       original is deleted (SQS's own redrive cannot add diagnostics; it stays as a safety net).</li>
 * </ul>
 */
final class SqsReceiver implements SubscriberDriver {
    private static final Logger log = LoggerFactory.getLogger(SqsReceiver.class);
    private static final int MAX_RECEIVERS = 4;
    /** How often a receiver without room checks whether it should stop. */
    private static final Duration ROOM_WAIT = Duration.ofMillis(100);
    /** How long a delete waits for others to share its DeleteMessageBatch call, unless 10 are ready sooner. */
    private static final Duration ACK_LINGER = Duration.ofMillis(5);

    private final AwsDriver driver;
    private final AwsClients clients;
    private final AwsOptions options;
    private final String queueUrl;
    private final String queueName;
    private final String deadLetterUrl;
    private final LinkedBlockingQueue<SqsDelivery> buffer = new LinkedBlockingQueue<>();
    private final Set<SqsDelivery> held = ConcurrentHashMap.newKeySet();
    private final Semaphore room;
    /**
     * How many messages a background receiver asks for: it waits for room for that many rather than polling
     * for the few that are free, which would take more receive calls for the same messages.
     */
    private final int receiveSize;
    private final AckBatcher<String> deletes;
    private final ScheduledFuture<?> heartbeat;
    private final List<Thread> receivers = new ArrayList<>();
    private volatile boolean receiving = true;
    private volatile boolean closed;

    /**
     * A receiver of one queue.
     *
     * @param background true for a subscription: parallel long-polling receivers fill a buffer; false for a
     *     short-lived reader (dead letters): each {@link #receive} polls on the caller's thread, so closing
     *     leaves no poll behind that could take a message away from the next reader
     */
    SqsReceiver(AwsDriver driver, AwsClients clients, AwsOptions options, String queueUrl, String queueName,
                String deadLetterUrl, int maxInFlight, boolean background) {
        this.driver = driver;
        this.clients = clients;
        this.options = options;
        this.queueUrl = queueUrl;
        this.queueName = queueName;
        this.deadLetterUrl = deadLetterUrl;
        this.room = new Semaphore(maxInFlight);
        long beat = Math.max(1, options.visibilityTimeout().toMillis() / 3);
        this.heartbeat = driver.scheduler().scheduleWithFixedDelay(this::extendVisibility, beat, beat, TimeUnit.MILLISECONDS);
        int count = !background ? 0 : options.receivers() > 0 ? options.receivers()
                : Math.min(MAX_RECEIVERS, (maxInFlight + BatchWindow.MAX_BATCH - 1) / BatchWindow.MAX_BATCH);
        this.receiveSize = Math.max(1, Math.min(BatchWindow.MAX_BATCH, maxInFlight / Math.max(1, count)));
        this.deletes = new AckBatcher<>(queueName, this::deleteBatch, Math.max(1, count), ACK_LINGER, driver.scheduler());
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(this::receiveLoop, "switchboard-sqs-receive-" + queueName + "-" + i);
            thread.setDaemon(true);
            receivers.add(thread);
            thread.start();
        }
    }

    @Override
    public List<Delivery> receive(int max, Duration maxWait) throws InterruptedException {
        if (closed) {
            throw new MessagingException(ErrorCode.CANCELLED, "the consumer of " + queueName + " is closed");
        }
        driver.checkOpen();
        if (receivers.isEmpty()) {
            return pollHere(max, maxWait);
        }
        SqsDelivery first = buffer.poll(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return List.of();
        }
        List<SqsDelivery> taken = new ArrayList<>();
        taken.add(first);
        buffer.drainTo(taken, max - 1);
        return new ArrayList<>(taken);
    }

    @Override
    public CompletableFuture<Void> ack(Delivery delivery) {
        SqsDelivery d = (SqsDelivery) delivery;
        return deletes.submit(d.receiptHandle()).whenComplete((ok, error) -> release(d));
    }

    @Override
    public CompletableFuture<Void> nack(Delivery delivery, Duration delay) {
        SqsDelivery d = (SqsDelivery) delivery;
        int seconds = (int) Math.min(AwsOptions.MAX_VISIBILITY.toSeconds(), (delay.toMillis() + 999) / 1000);
        return CompletableFuture.runAsync(() -> clients.sqs().changeMessageVisibility(b -> b.queueUrl(queueUrl)
                        .receiptHandle(d.receiptHandle()).visibilityTimeout(seconds)), driver.executor())
                .handle((ok, error) -> {
                    release(d);
                    if (error != null) {
                        throw AwsErrors.classify(error);
                    }
                    return null;
                });
    }

    @Override
    public CompletableFuture<Void> deadLetter(Delivery delivery, EventEnvelope deadLetter) {
        return driver.sendToQueue(deadLetterUrl, deadLetter);
    }

    @Override
    public void pause() {
        synchronized (buffer) {
            receiving = false;
        }
    }

    /** Stops receiving, hands buffered messages back at once, sends the pending deletes. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.cancel(false);
        // receivers are not interrupted: an interrupted SDK call can lose the messages it already took off
        // the queue (invisible until their timeout); a receiver finishes its poll and hands them back
        List<SqsDelivery> unhandled = new ArrayList<>();
        synchronized (buffer) {
            // a receiver finishing its poll after this sees receiving == false and returns what it got itself
            receiving = false;
            buffer.drainTo(unhandled);
        }
        returnNow(unhandled);
        deletes.close();
    }

    /** A receive on the caller's thread, for readers without background receivers. */
    private List<Delivery> pollHere(int max, Duration maxWait) {
        int wanted = Math.min(BatchWindow.MAX_BATCH, max);
        if (!room.tryAcquire(wanted)) {
            return List.of();
        }
        int waitSeconds = (int) Math.min(options.waitTime().toSeconds(), (maxWait.toMillis() + 999) / 1000);
        List<Message> messages;
        try {
            messages = fetch(wanted, waitSeconds);
        } catch (RuntimeException e) {
            room.release(wanted);
            throw AwsErrors.classify(e);
        }
        room.release(wanted - messages.size());
        List<Delivery> deliveries = new ArrayList<>(messages.size());
        for (Message message : messages) {
            SqsDelivery delivery = new SqsDelivery(message, queueName);
            held.add(delivery);
            deliveries.add(delivery);
        }
        return deliveries;
    }

    private List<Message> fetch(int max, int waitSeconds) {
        return clients.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)
                .messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
    }

    private void receiveLoop() {
        Duration backoff = Duration.ofMillis(200);
        while (receiving) {
            int wanted = 0;
            try {
                if (!room.tryAcquire(receiveSize, ROOM_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                wanted = receiveSize;
                accept(fetch(wanted, (int) options.waitTime().toSeconds()), wanted);
                backoff = Duration.ofMillis(200);
            } catch (InterruptedException e) {
                room.release(wanted);
                return;
            } catch (RuntimeException e) {
                room.release(wanted);
                if (!receiving) {
                    return;
                }
                log.warn("{}: receive failed ({}), retrying in {} ms", queueName, AwsErrors.classify(e).getMessage(),
                        backoff.toMillis());
                if (!pause(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
            }
        }
    }

    private void accept(List<Message> messages, int reserved) {
        room.release(reserved - messages.size());
        List<SqsDelivery> late = new ArrayList<>();
        synchronized (buffer) {
            for (Message message : messages) {
                SqsDelivery delivery = new SqsDelivery(message, queueName);
                held.add(delivery);
                (receiving ? buffer : late).add(delivery);
            }
        }
        returnNow(late);
    }

    private Map<Integer, Throwable> deleteBatch(List<String> receiptHandles) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < receiptHandles.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(receiptHandles.get(i)).build());
        }
        Map<Integer, Throwable> failures = new HashMap<>();
        clients.sqs().deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).failed().forEach(f ->
                failures.put(Integer.parseInt(f.id()), AwsErrors.fromCode(f.code(), 400, f.message(), null)));
        return failures;
    }

    private void extendVisibility() {
        List<SqsDelivery> current = new ArrayList<>(held);
        int seconds = (int) options.visibilityTimeout().toSeconds();
        for (int from = 0; from < current.size(); from += BatchWindow.MAX_BATCH) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            List<SqsDelivery> chunk = current.subList(from, Math.min(current.size(), from + BatchWindow.MAX_BATCH));
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout(seconds).build());
            }
            try {
                clients.sqs().changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
            } catch (RuntimeException e) {
                log.debug("{}: extending visibility failed: {}", queueName, e.toString());
            }
        }
    }

    /** Makes messages visible again at once, for another receive. */
    private void returnNow(List<SqsDelivery> deliveries) {
        for (SqsDelivery d : deliveries) {
            try {
                clients.sqs().changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(d.receiptHandle()).visibilityTimeout(0));
            } catch (RuntimeException e) {
                log.debug("{}: returning a message failed, it reappears after its visibility timeout: {}", queueName, e.toString());
            }
            release(d);
        }
    }

    private void release(SqsDelivery d) {
        if (held.remove(d)) {
            room.release();
        }
    }

    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
