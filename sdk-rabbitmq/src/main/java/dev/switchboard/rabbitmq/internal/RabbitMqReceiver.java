package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.spi.Delivery;
import dev.switchboard.spi.SubscriberDriver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue with manual acks. The broker pushes at most {@code prefetch} (the core's in-flight
 * limit) unacknowledged messages into a local buffer, which {@link #receive} drains; they are decoded on the
 * handler's thread (see {@link RabbitMqDelivery}).
 *
 * <p>Acks are coalesced per channel (see {@link AckCoalescer}): while other deliveries are running, up to a
 * quarter of the prefetch (64 at most) finished ones are held, never for longer than {@link #ACK_LINGER} — a
 * flush on the driver's ack thread — so that a run of them costs one {@code basic.ack} with {@code multiple};
 * a lone delivery is acked at once. An ack's future completes once the ack is written or held; a held ack
 * that cannot be written later (the channel went down) is redelivered by the broker, as an ack that failed is.
 *
 * <p>A retry with a delay republishes the message, with its attempt count, to a TTL queue that
 * dead-letters it back into the group queue when the delay has passed (see {@link RetryDelays}), then
 * acks the original: the group queue is never blocked by a waiting retry. A retry without delay is a
 * {@code basic.nack} with requeue, written at once. Acks are idempotent. When the channel goes down, buffered
 * deliveries are dropped and settling the others fails: their delivery tags died with the channel (never
 * to be acked on its successor) and the broker redelivers them. Thread-safe.
 */
final class RabbitMqReceiver implements SubscriberDriver {
    private static final Logger log = LoggerFactory.getLogger(RabbitMqReceiver.class);
    /** How long a finished delivery's ack may wait for others to share its frame. */
    static final Duration ACK_LINGER = Duration.ofMillis(1);
    private static final int MAX_ACK_BATCH = 64;
    private static final byte[] EMPTY = new byte[0];

    private final RabbitMqDriver driver;
    private final String queue;
    private final String deadLetterQueue;
    private final String fallbackSource;
    private final int prefetch;
    private final int ackBatch;
    private final LinkedBlockingQueue<RabbitMqDelivery> buffer = new LinkedBlockingQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile Channel channel;
    private volatile AckCoalescer acks;
    private volatile String consumerTag;
    private volatile boolean closed;
    private volatile boolean paused;

    RabbitMqReceiver(RabbitMqDriver driver, String queue, String deadLetterQueue, int prefetch) {
        this.driver = driver;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
        this.fallbackSource = "rabbitmq:" + queue;
        this.prefetch = prefetch;
        this.ackBatch = Math.max(1, Math.min(MAX_ACK_BATCH, prefetch / 4));
        consume();
    }

    /** Opens a channel and starts consuming on it. */
    private void consume() {
        Channel fresh = driver.openChannel();
        AckCoalescer coalescer = new AckCoalescer(frames(fresh), ackBatch);
        try {
            fresh.basicQos(prefetch);
            // runs before automatic recovery re-registers the consumer, so no later delivery is reset
            fresh.addShutdownListener(cause -> {
                coalescer.reset();
                buffer.removeIf(d -> d.acks() == coalescer);
            });
            consumerTag = fresh.basicConsume(queue, false, new DefaultConsumer(fresh) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    buffer.add(new RabbitMqDelivery(coalescer, coalescer.delivered(envelope.getDeliveryTag()), properties,
                            body == null ? EMPTY : body, fallbackSource,
                            AmqpMessages.attempt(properties, envelope.isRedeliver())));
                }
            });
        } catch (IOException | RuntimeException e) {
            throw RabbitMqErrors.classify(e);
        }
        acks = coalescer;
        channel = fresh;
    }

    private static AckCoalescer.Frames frames(Channel channel) {
        return new AckCoalescer.Frames() {
            @Override
            public void ack(long deliveryTag, boolean multiple) throws IOException {
                channel.basicAck(deliveryTag, multiple);
            }

            @Override
            public void requeue(long deliveryTag) throws IOException {
                channel.basicNack(deliveryTag, false, true);
            }
        };
    }

    /**
     * A channel the broker closed for an error (not a lost connection, which amqp-client recovers) is replaced,
     * so that the subscription goes on; what was unacked on it has been requeued by the broker.
     */
    private void reopenIfClosedByBroker() {
        Channel current = channel;
        if (!current.isOpen() && current.getConnection().isOpen() && !paused) {
            log.warn("{}: the broker closed the consumer channel ({}); consuming on a new one", queue,
                    current.getCloseReason() == null ? "no reason" : current.getCloseReason().getMessage());
            consume();
        }
    }

    @Override
    public List<Delivery> receive(int max, Duration maxWait) throws InterruptedException {
        driver.checkOpen();
        if (closed) {
            throw new MessagingException(ErrorCode.CANCELLED, "the consumer of " + queue + " is closed");
        }
        reopenIfClosedByBroker();
        RabbitMqDelivery first = buffer.poll(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return List.of();
        }
        List<Delivery> taken = new ArrayList<>(Math.min(max, buffer.size() + 1));
        taken.add(first);
        buffer.drainTo(taken, max - 1);
        return taken;
    }

    @Override
    public CompletableFuture<Void> ack(Delivery delivery) {
        RabbitMqDelivery d = (RabbitMqDelivery) delivery;
        return settle(() -> d.acks().ack(d.tag()));
    }

    @Override
    public CompletableFuture<Void> nack(Delivery delivery, Duration delay) {
        RabbitMqDelivery d = (RabbitMqDelivery) delivery;
        if (delay.isZero() || closed) {
            return requeue(d);
        }
        long millis = RetryDelays.bucketMillis(delay);
        String retryQueue = queue + ".retry." + millis;
        CompletableFuture<String> republished;
        try {
            driver.topology().retryQueue(retryQueue, queue, millis);
            republished = driver.confirmingPublisher().publish("", retryQueue, d.properties().builder(), retryHeaders(d), d.body());
        } catch (RuntimeException e) {
            republished = CompletableFuture.failedFuture(e);
        }
        return republished.handle((ok, error) -> {
            if (error != null) {
                log.warn("{}: scheduling a retry failed ({}); requeueing at once", queue, error.toString());
                return requeue(d);
            }
            return ack(d);
        }).thenCompose(f -> f);
    }

    @Override
    public CompletableFuture<Void> deadLetter(Delivery delivery, EventEnvelope deadLetter) {
        RabbitMqDelivery d = (RabbitMqDelivery) delivery;
        Map<String, Object> carried = new HashMap<>(AmqpMessages.headersOf(d.properties()));
        carried.remove(AmqpMessages.DELIVERY_COUNT_HEADER);
        try {
            return driver.confirmingPublisher()
                    .publish("", deadLetterQueue, AmqpMessages.properties(deadLetter), AmqpMessages.headers(deadLetter, carried),
                            deadLetter.data())
                    .thenApply(ok -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Cancels the consumer, so that deliveries given back during a drain are not pushed back here. */
    @Override
    public void pause() {
        if (paused) {
            return;
        }
        paused = true;
        Channel channel = this.channel;
        try {
            if (channel.isOpen()) {
                channel.basicCancel(consumerTag);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("{}: cancelling the consumer: {}", queue, e.toString());
        }
    }

    /** Cancels the consumer, writes the held acks and closes the channel; the broker requeues what was not acked. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        pause();
        closed = true;
        flushHeld();
        Channel channel = this.channel;
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            log.debug("{}: closing the consumer channel: {}", queue, e.toString());
        }
        buffer.clear();
    }

    private static Map<String, Object> retryHeaders(RabbitMqDelivery d) {
        Map<String, Object> headers = new HashMap<>(AmqpMessages.headersOf(d.properties()));
        headers.remove(AmqpMessages.DELIVERY_COUNT_HEADER);
        headers.put(AmqpMessages.ATTEMPT_HEADER, d.attempt() + 1);
        return headers;
    }

    private CompletableFuture<Void> requeue(RabbitMqDelivery d) {
        return settle(() -> d.acks().requeue(d.tag()));
    }

    private CompletableFuture<Void> settle(Settlement settlement) {
        AckCoalescer.Outcome outcome;
        try {
            outcome = settlement.run();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(RabbitMqErrors.classify(e));
        }
        if (outcome == AckCoalescer.Outcome.STALE) {
            return CompletableFuture.failedFuture(new MessagingException(ErrorCode.UNAVAILABLE,
                    "the channel this event was delivered on closed; the broker redelivers it"));
        }
        if (outcome == AckCoalescer.Outcome.HELD) {
            scheduleFlush();
        }
        return CompletableFuture.completedFuture(null);
    }

    /** One flush on the driver's ack thread within {@link #ACK_LINGER}, unless one is pending already. */
    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                driver.ackScheduler().schedule(this::flushHeld, ACK_LINGER.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                flushHeld();
            }
        }
    }

    /** Writes the acks held on the current channel (an earlier channel's were reset with it). */
    private void flushHeld() {
        flushScheduled.set(false);
        try {
            acks.flush();
        } catch (IOException | RuntimeException e) {
            log.debug("{}: writing held acks: {}", queue, e.toString());
        }
    }

    @FunctionalInterface
    private interface Settlement {
        AckCoalescer.Outcome run() throws IOException;
    }
}
