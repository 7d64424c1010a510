package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.spi.CloudEventAttributes;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue with manual acks. The broker pushes at most {@code prefetch} (the core's in-flight
 * limit) unacknowledged messages into a local buffer, which {@link #receive} drains.
 *
 * <p>A retry with a delay republishes the message, with its attempt count, to a TTL queue that
 * dead-letters it back into the group queue when the delay has passed (see {@link RetryDelays}), then
 * acks the original: the group queue is never blocked by a waiting retry. A retry without delay is a
 * {@code basic.nack} with requeue. Acks are idempotent. When the channel goes down, buffered deliveries are
 * dropped: their delivery tags died with it and the broker redelivers them.
 */
final class RabbitMqReceiver implements SubscriberDriver {
    private static final Logger log = LoggerFactory.getLogger(RabbitMqReceiver.class);

    private final RabbitMqDriver driver;
    private final String queue;
    private final String deadLetterQueue;
    private final int prefetch;
    private final LinkedBlockingQueue<RabbitMqDelivery> buffer = new LinkedBlockingQueue<>();
    private volatile Channel channel;
    private volatile String consumerTag;
    private volatile boolean closed;
    private volatile boolean paused;

    RabbitMqReceiver(RabbitMqDriver driver, String queue, String deadLetterQueue, int prefetch) {
        this.driver = driver;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
        this.prefetch = prefetch;
        consume();
    }

    /** Opens a channel and starts consuming on it. */
    private void consume() {
        Channel fresh = driver.openChannel();
        try {
            fresh.basicQos(prefetch);
            fresh.addShutdownListener(cause -> buffer.removeIf(d -> d.channel() == fresh));
            consumerTag = fresh.basicConsume(queue, false, new DefaultConsumer(fresh) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    CloudEventAttributes.Read read = AmqpMessages.read(properties, body, queue);
                    buffer.add(new RabbitMqDelivery(fresh, envelope.getDeliveryTag(), properties, body, read.envelope(),
                            read.malformation(), AmqpMessages.attempt(properties, envelope.isRedeliver()),
                            new AtomicBoolean()));
                }
            });
        } catch (IOException | RuntimeException e) {
            throw RabbitMqErrors.classify(e);
        }
        channel = fresh;
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
        List<RabbitMqDelivery> taken = new ArrayList<>();
        taken.add(first);
        buffer.drainTo(taken, max - 1);
        return new ArrayList<>(taken);
    }

    @Override
    public CompletableFuture<Void> ack(Delivery delivery) {
        RabbitMqDelivery d = (RabbitMqDelivery) delivery;
        return !d.settle() ? CompletableFuture.completedFuture(null)
                : onChannel(d.channel(), () -> d.channel().basicAck(d.deliveryTag(), false));
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
            synchronized (channel) {
                if (channel.isOpen()) {
                    channel.basicCancel(consumerTag);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("{}: cancelling the consumer: {}", queue, e.toString());
        }
    }

    /** Cancels the consumer and closes the channel; the broker requeues what was not acked. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        pause();
        closed = true;
        Channel channel = this.channel;
        try {
            synchronized (channel) {
                if (channel.isOpen()) {
                    channel.close();
                }
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
        return !d.settle() ? CompletableFuture.completedFuture(null)
                : onChannel(d.channel(), () -> d.channel().basicNack(d.deliveryTag(), false, true));
    }

    private static CompletableFuture<Void> onChannel(Channel channel, ChannelAction action) {
        try {
            synchronized (channel) {
                action.run();
            }
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(RabbitMqErrors.classify(e));
        }
    }

    @FunctionalInterface
    private interface ChannelAction {
        void run() throws IOException;
    }
}
