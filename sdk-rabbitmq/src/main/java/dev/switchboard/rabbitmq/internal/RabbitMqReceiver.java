package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.switchboard.Connectivity;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.Payload;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue with manual acks: the broker pushes at most {@code prefetch} (the core's in-flight limit)
 * unacknowledged messages into a buffer, which {@link #receive} drains. Acks are coalesced per channel (see
 * {@link AckCoalescer}), held {@link #ACK_LINGER} at most (a flush on the core's scheduler).
 *
 * <p>A retry with a delay republishes the message, with its attempt count, to a TTL queue that dead-letters it
 * back into the group queue when the delay has passed (see {@link RetryDelays}), then acks the original: a waiting
 * retry never blocks the queue, and survives a crash. A retry without delay is a {@code basic.nack} with requeue.
 * When the channel goes down, settling what it delivered fails: those tags died with it, and the broker
 * redelivers the messages. Thread-safe.
 */
final class RabbitMqReceiver implements ReceiverDriver {
    private static final Logger log = LoggerFactory.getLogger(RabbitMqReceiver.class);
    /** How long a finished delivery's ack may wait for others to share its frame. */
    static final Duration ACK_LINGER = Duration.ofMillis(1);
    private static final int MAX_ACK_BATCH = 64;

    private final ConnectionManager connections;
    private final Topology topology;
    private final ConfirmingPublisher publisher;
    private final ScheduledExecutorService scheduler;
    private final String queue;
    private final String deadLetterQueue;
    private final int prefetch;
    private final LinkedBlockingQueue<RabbitMqDelivery> buffer = new LinkedBlockingQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    /** The retry delays whose queue is declared; declaring costs a round trip, so once per delay. */
    private final Set<Long> retryQueues = ConcurrentHashMap.newKeySet();
    private volatile Channel channel;
    private volatile AckCoalescer acks;
    private volatile String consumerTag;
    private volatile boolean closed;
    private volatile boolean paused;

    RabbitMqReceiver(ConnectionManager connections, Topology topology, ConfirmingPublisher publisher,
                     ScheduledExecutorService scheduler, String queue, String deadLetterQueue, int prefetch) {
        this.connections = connections;
        this.topology = topology;
        this.publisher = publisher;
        this.scheduler = scheduler;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
        this.prefetch = prefetch;
        consume();
    }

    /** Opens a channel and starts consuming on it; a failure leaves wrapped in a {@code CompletionException}. */
    private void consume() {
        try {
            Channel fresh = connections.openChannel();
            // holds up to a quarter of the prefetch of finished deliveries, so the broker keeps sending meanwhile
            AckCoalescer coalescer = new AckCoalescer(frames(fresh), Math.max(1, Math.min(MAX_ACK_BATCH, prefetch / 4)));
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
                            Payload.wrap(body), AmqpMessages.attempt(properties, envelope.isRedeliver())));
                }
            });
            acks = coalescer;
            channel = fresh;
        } catch (IOException | TimeoutException e) {
            throw new CompletionException(e);
        }
    }

    private static AckCoalescer.Frames frames(Channel channel) {
        return (tag, multiple, requeue) -> {
            if (requeue) {
                channel.basicNack(tag, multiple, true);
            } else {
                channel.basicAck(tag, multiple);
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

    /** The queue this receiver consumes. */
    String queue() {
        return queue;
    }

    @Override
    public List<RabbitMqDelivery> receive(int max, Duration maxWait) throws InterruptedException {
        reopenIfClosedByBroker();
        RabbitMqDelivery first = buffer.poll(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return List.of();
        }
        List<RabbitMqDelivery> taken = new ArrayList<>(Math.min(max, buffer.size() + 1));
        taken.add(first);
        buffer.drainTo(taken, max - 1);
        return taken;
    }

    @Override
    public CompletableFuture<Void> ack(List<InboundMessage> messages) {
        return settle(messages, false);
    }

    @Override
    public CompletableFuture<Void> nack(List<InboundMessage> messages, Duration delay) {
        if (delay.isZero() || closed) {
            return settle(messages, true);
        }
        long millis = RetryDelays.bucketMillis(delay);
        List<CompletableFuture<Void>> retries = new ArrayList<>(messages.size());
        for (InboundMessage message : messages) {
            retries.add(retryLater((RabbitMqDelivery) message, millis));
        }
        return CompletableFuture.allOf(retries.toArray(CompletableFuture[]::new));
    }

    /** Republishes to the retry queue of {@code millis}, then acks; if that fails, requeues at once. */
    private CompletableFuture<Void> retryLater(RabbitMqDelivery d, long millis) {
        CompletableFuture<String> republished;
        try {
            if (!retryQueues.contains(millis)) {
                topology.declareRetryQueue(queue, millis);
                retryQueues.add(millis);
            }
            Map<String, Object> headers = AmqpMessages.carriedHeaders(d.properties());
            headers.put(AmqpMessages.ATTEMPT_HEADER, d.attempt() + 1);
            republished = publisher.publish("", Topology.retryQueue(queue, millis), d.properties().builder(), headers,
                    d.body().sharedArray());
        } catch (RuntimeException e) {
            republished = CompletableFuture.failedFuture(e);
        }
        return republished.handle((ok, error) -> {
            if (error != null) {
                log.warn("{}: scheduling a retry failed ({}); requeueing at once", queue, error.toString());
            }
            return settle(List.of(d), error != null);
        }).thenCompose(settled -> settled);
    }

    /** Publishes the dead letter to the dead-letter queue, keeping the original's other headers, such as x-death. */
    @Override
    public CompletableFuture<Void> deadLetter(InboundMessage original, OutboundMessage deadLetter) {
        Map<String, Object> carried = AmqpMessages.carriedHeaders(((RabbitMqDelivery) original).properties());
        return publisher.publish("", deadLetterQueue, AmqpMessages.properties(deadLetter),
                AmqpMessages.headers(deadLetter, carried), deadLetter.body().sharedArray()).thenApply(ok -> null);
    }

    /**
     * Whether the consumer's channel is open: amqp-client closes it with its connection and opens it again when
     * automatic recovery has reconnected, so it is down for exactly as long as nothing can be delivered.
     */
    @Override
    public Connectivity connectivity() {
        return channel.isOpen() ? Connectivity.CONNECTED : Connectivity.DISCONNECTED;
    }

    /** The messages ready in the queue, on a channel of its own (see {@link Topology#readyMessages}). */
    @Override
    public OptionalLong lag() {
        return OptionalLong.of(topology.readyMessages(queue));
    }

    /** Cancels the consumer, so that deliveries given back during a drain are not pushed back here. */
    @Override
    public void pause() {
        if (paused) {
            return;
        }
        paused = true;
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
        Topology.closeQuietly(channel);
        buffer.clear();
    }

    /**
     * Acks every message, or requeues it ({@code basic.nack}); fails with amqp-client's exception if a frame could
     * not be written, or with {@code UNAVAILABLE} if a message's channel closed since it was delivered (the broker
     * redelivers it).
     */
    private CompletableFuture<Void> settle(List<? extends InboundMessage> messages, boolean requeue) {
        Exception failure = null;
        boolean held = false;
        for (InboundMessage message : messages) {
            try {
                RabbitMqDelivery d = (RabbitMqDelivery) message;
                AckCoalescer.Outcome outcome = requeue ? d.acks().requeue(d.tag()) : d.acks().ack(d.tag());
                held |= outcome == AckCoalescer.Outcome.HELD;
                if (outcome == AckCoalescer.Outcome.STALE && failure == null) {
                    failure = new MessagingException(ErrorCode.UNAVAILABLE,
                            "the channel this event was delivered on closed; the broker redelivers it");
                }
            } catch (IOException | RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (held) {
            scheduleFlush();
        }
        return failure == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(failure);
    }

    /** One flush on the core's scheduler within {@link #ACK_LINGER}, unless one is pending already. */
    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                scheduler.schedule(this::flushHeld, ACK_LINGER.toNanos(), TimeUnit.NANOSECONDS);
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
}
