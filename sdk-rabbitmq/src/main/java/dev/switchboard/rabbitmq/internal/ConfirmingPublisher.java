package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Publishes on one channel in confirm mode and tracks confirms asynchronously: each publish gets a future
 * that completes when the broker acks it (stored, and replicated for quorum queues), fails with
 * {@code UNAVAILABLE} when the broker nacks it or the channel closes first, and fails with
 * {@code NOT_FOUND} when it was returned as unroutable ({@code mandatory}: no queue is bound). Publishing is
 * serialised on the channel (a sequence number and its publish must pair up); waiting is not.
 */
final class ConfirmingPublisher {
    private final ConnectionManager connections;
    private final ConcurrentNavigableMap<Long, CompletableFuture<String>> unconfirmed = new ConcurrentSkipListMap<>();
    private Channel channel;

    ConfirmingPublisher(ConnectionManager connections) {
        this.connections = connections;
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
            } catch (IOException | RuntimeException e) {
                unconfirmed.remove(sequence);
                result.completeExceptionally(RabbitMqErrors.classify(e));
            }
        }
        return result;
    }

    /** The publishing channel; a new one after a channel-level error, none while the connection recovers. */
    private Channel channel() throws IOException {
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
        Map<Long, CompletableFuture<String>> done = multiple ? unconfirmed.headMap(tag, true) : singleton(tag);
        for (CompletableFuture<String> future : done.values()) {
            if (failure == null) {
                future.complete("");
            } else {
                future.completeExceptionally(failure);
            }
        }
        done.clear();
    }

    private Map<Long, CompletableFuture<String>> singleton(long tag) {
        return unconfirmed.subMap(tag, true, tag, true);
    }

    /** A mandatory publish nobody could take; the broker sends the return before the ack. */
    private void returned(Return returned) {
        Object sequence = AmqpMessages.headersOf(returned.getProperties()).get(AmqpMessages.SEQUENCE_HEADER);
        if (sequence instanceof Number n) {
            CompletableFuture<String> future = unconfirmed.get(n.longValue());
            if (future != null) {
                future.completeExceptionally(new MessagingException(ErrorCode.NOT_FOUND, "no queue is bound to exchange \""
                        + returned.getExchange() + "\" for routing key \"" + returned.getRoutingKey()
                        + "\": nothing subscribes to that topic yet (" + returned.getReplyText() + ")"));
            }
        }
    }

    private void failAll(ShutdownSignalException cause) {
        MessagingException failure = RabbitMqErrors.unconfirmed(cause);
        unconfirmed.values().forEach(future -> future.completeExceptionally(failure));
        unconfirmed.clear();
    }
}
