package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.spi.Batching;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.PublisherDriver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;

/**
 * Publishes on one channel in confirm mode (events, retries and dead letters alike; a sequence number and its
 * publish must pair up, so publishing is serialised) and tracks confirms asynchronously. A publish completes when
 * the broker acks it (stored, and replicated for quorum queues); it fails with {@code UNAVAILABLE} on a nack, with
 * {@code NOT_FOUND} when returned as unroutable ({@code mandatory}: no queue is bound), else with amqp-client's
 * exception. Batches pipeline (the core starts them in publish order, and the channel serialises them), so
 * confirms of one batch overlap the sending of the next. Thread-safe.
 */
final class ConfirmingPublisher implements PublisherDriver {
    /** Larger messages hurt a RabbitMQ node (they are held in memory whole); we refuse them early. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final Batching BATCHING = new Batching(1000, Integer.MAX_VALUE);

    private final ConnectionManager connections;
    private final ConcurrentNavigableMap<Long, CompletableFuture<String>> unconfirmed = new ConcurrentSkipListMap<>();
    private Channel channel;

    ConfirmingPublisher(ConnectionManager connections) {
        this.connections = connections;
    }

    @Override
    public Batching batching() {
        return BATCHING;
    }

    @Override
    public int maxMessageBytes() {
        return MAX_MESSAGE_BYTES;
    }

    /** Publishes each message to the topic's exchange, routed by its type, with the {@code cloudEvents:} headers. */
    @Override
    public List<CompletableFuture<String>> send(String topic, List<OutboundMessage> batch) {
        String exchange = Topology.exchange(topic);
        List<CompletableFuture<String>> results = new ArrayList<>(batch.size());
        for (OutboundMessage message : batch) {
            results.add(publish(exchange, AmqpMessages.routingKey(message), AmqpMessages.properties(message),
                    AmqpMessages.headers(message, Map.of()), message.body().sharedArray()));
        }
        return results;
    }

    /**
     * Publishes a message with {@code mandatory}. The properties are built here, once, with {@code headers} (a
     * mutable map that the publisher takes over: it adds its sequence number).
     */
    CompletableFuture<String> publish(String exchange, String routingKey, AMQP.BasicProperties.Builder properties,
                                      Map<String, Object> headers, byte[] body) {
        CompletableFuture<String> result = new CompletableFuture<>();
        synchronized (this) {
            long sequence = -1;
            try {
                Channel current = channel();
                sequence = current.getNextPublishSeqNo();
                headers.put(AmqpMessages.SEQUENCE_HEADER, sequence);
                unconfirmed.put(sequence, result);
                current.basicPublish(exchange, routingKey, true, properties.headers(headers).build(), body);
            } catch (IOException | TimeoutException | RuntimeException e) {
                unconfirmed.remove(sequence);
                result.completeExceptionally(e);
            }
        }
        return result;
    }

    /** The publishing channel; a new one after a channel-level error, none while the connection recovers. */
    private Channel channel() throws IOException, TimeoutException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        if (channel != null && !channel.getConnection().isOpen()) {
            throw new MessagingException(ErrorCode.UNAVAILABLE, "the connection to RabbitMQ is down, recovering");
        }
        Channel fresh = connections.openChannel();
        fresh.confirmSelect();
        fresh.addConfirmListener((tag, multiple) -> settle(tag, multiple, null),
                (tag, multiple) -> settle(tag, multiple, new MessagingException(ErrorCode.UNAVAILABLE,
                        "RabbitMQ could not store the event (basic.nack)")));
        fresh.addReturnListener(this::returned);
        fresh.addShutdownListener(this::failAll);
        channel = fresh;
        return fresh;
    }

    private void settle(long tag, boolean multiple, MessagingException failure) {
        Map<Long, CompletableFuture<String>> done = multiple ? unconfirmed.headMap(tag, true) : unconfirmed.subMap(tag, true, tag, true);
        for (CompletableFuture<String> future : done.values()) {
            if (failure == null) {
                future.complete("");
            } else {
                future.completeExceptionally(failure);
            }
        }
        done.clear();
    }

    /** A mandatory publish nobody could take; the broker sends the return before the ack. */
    private void returned(Return returned) {
        Object sequence = AmqpMessages.headersOf(returned.getProperties()).get(AmqpMessages.SEQUENCE_HEADER);
        CompletableFuture<String> future = sequence instanceof Number n ? unconfirmed.get(n.longValue()) : null;
        if (future != null) {
            future.completeExceptionally(new MessagingException(ErrorCode.NOT_FOUND, "no queue is bound to exchange \""
                    + returned.getExchange() + "\" for routing key \"" + returned.getRoutingKey()
                    + "\": nothing subscribes to that topic yet (" + returned.getReplyText() + ")"));
        }
    }

    /**
     * The channel closed before the broker confirmed these: a lost connection (retryable; each may or may not have
     * been stored), or the broker closing the channel for an error, such as a publish to a missing exchange.
     */
    private void failAll(ShutdownSignalException cause) {
        unconfirmed.values().forEach(future -> future.completeExceptionally(cause));
        unconfirmed.clear();
    }
}
