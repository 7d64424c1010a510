package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import dev.switchboard.rabbitmq.RabbitMqOptions;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.TopologyDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Topics and groups on RabbitMQ: a topic is a durable topic exchange; a group is the durable queue
 * {@code <topic>.<group>} (quorum by default, single active consumer for per-key order) bound to it with
 * {@code #}, beside its dead-letter queue; retries wait in TTL queues {@code <queue>.retry.<millis>}. A group of
 * {@code partitions} &gt; 1 is instead a headers exchange {@code <topic>.<group>.partitions} bound to the topic, and
 * the queues {@code <topic>.<group>.p<i>}, each bound to it for the buckets {@code b} with
 * {@code b mod partitions = i} of the {@code switchboard-bucket} header every publish carries (see
 * {@link AmqpMessages#bucket}); the group's members share the queues (see {@link GroupMembers}). A
 * name over AMQP's 255 bytes (UTF-8) is the caller's error. Each call runs on a channel of its own (a failed
 * declaration closes its channel); checked failures leave in a {@code CompletionException}. Thread-safe.
 */
final class Topology implements TopologyDriver {
    /** AMQP's limit on exchange and queue names, in bytes of UTF-8. */
    private static final int MAX_NAME_BYTES = 255;
    private static final int RETRY_SUFFIX_BYTES = retryQueue("", RetryDelays.MAX_MILLIS).length();

    private final ConnectionManager connections;
    private final RabbitMqOptions options;

    Topology(ConnectionManager connections, RabbitMqOptions options) {
        this.connections = connections;
        this.options = options;
    }

    /** The exchange of {@code topic}: the topic's own name, checked. */
    static String exchange(String topic) {
        return checked(topic, "topic", 0);
    }

    /** The queue a receiver of {@code spec} reads: the group queue (with room for its retry queues' names), or the DLQ. */
    static String queue(ReceiverSpec spec) {
        return spec.source() == ReceiverSpec.Source.DEAD_LETTERS ? deadLetterQueue(spec)
                : checked(spec.topic() + "." + spec.group(), "queue <topic>.<group>", RETRY_SUFFIX_BYTES);
    }

    /** The queue of partition {@code partition} of a partitioned group. */
    static String partitionQueue(ReceiverSpec spec, int partition) {
        return checked(spec.topic() + "." + spec.group() + ".p" + partition, "queue <topic>.<group>.p<n>", RETRY_SUFFIX_BYTES);
    }

    /** The exchange that spreads a partitioned group's events over its queues. */
    static String partitionExchange(ReceiverSpec spec) {
        return checked(spec.topic() + "." + spec.group() + ".partitions", "exchange <topic>.<group>.partitions", 0);
    }

    /** The exchange a partitioned group's members announce themselves on. */
    static String membersExchange(ReceiverSpec spec) {
        return checked(spec.topic() + "." + spec.group() + ".members", "exchange <topic>.<group>.members", 0);
    }

    /** The group's dead-letter queue, checked. */
    static String deadLetterQueue(ReceiverSpec spec) {
        return checked(spec.deadLetterDestination(), "dead-letter queue", 0);
    }

    static String retryQueue(String queue, long millis) {
        return queue + ".retry." + millis;
    }

    /** {@code name} if it, plus {@code suffix} bytes, fits AMQP's limit; else the caller's error. */
    private static String checked(String name, String what, int suffix) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes + suffix > MAX_NAME_BYTES) {
            throw new IllegalArgumentException(what + " \"" + name + "\" is " + bytes + " bytes in UTF-8"
                    + (suffix > 0 ? " (plus " + suffix + " for its retry queues)" : "") + "; RabbitMQ names take at most "
                    + MAX_NAME_BYTES + " bytes");
        }
        return name;
    }

    @Override
    public boolean topicExists(String topic) {
        String exchange = exchange(topic);
        return onChannel(channel -> exists(channel, c -> c.exchangeDeclarePassive(exchange)));
    }

    @Override
    public void createTopic(String topic) {
        String exchange = exchange(topic);
        onChannel(channel -> channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true));
    }

    @Override
    public boolean receiverExists(ReceiverSpec spec) {
        String queue = partitioned(spec) ? partitionQueue(spec, 0) : queue(spec);
        String deadLetters = deadLetterQueue(spec);
        // a queue found leaves the channel open for the next check; a missing one ends the answer
        return onChannel(channel -> exists(channel, c -> c.queueDeclarePassive(queue))
                && exists(channel, c -> c.queueDeclarePassive(deadLetters)));
    }

    /** Whether {@code spec}'s group is spread over several queues. */
    boolean partitioned(ReceiverSpec spec) {
        return options.partitions() > 1 && spec.source() == ReceiverSpec.Source.SUBSCRIPTION;
    }

    /** The queues of {@code spec}'s group: its partitions' or its one. */
    List<String> groupQueues(ReceiverSpec spec) {
        if (!partitioned(spec)) {
            return List.of(queue(spec));
        }
        List<String> queues = new ArrayList<>();
        for (int partition = 0; partition < options.partitions(); partition++) {
            queues.add(partitionQueue(spec, partition));
        }
        return queues;
    }

    /**
     * Declares an exclusive, server-named queue bound to {@code exchange} on {@code channel} (which stays open: the
     * queue lives as long as it) and returns its name: a member's inbox for the group's heartbeats.
     */
    static String declareInbox(Channel channel, String exchange) throws IOException {
        String inbox = channel.queueDeclare("", false, true, true, Map.of()).getQueue();
        channel.queueBind(inbox, exchange, "");
        return inbox;
    }

    @Override
    public void createReceiver(ReceiverSpec spec) {
        String queue = queue(spec);
        String deadLetters = deadLetterQueue(spec);
        Map<String, Object> type = Map.of("x-queue-type", options.queueType());
        Map<String, Object> groupQueue = options.singleActiveConsumer()
                ? Map.of("x-queue-type", options.queueType(), "x-single-active-consumer", true) : type;
        onChannel(channel -> {
            if (spec.source() == ReceiverSpec.Source.SUBSCRIPTION && partitioned(spec)) {
                String spread = partitionExchange(spec);
                channel.exchangeDeclare(spread, BuiltinExchangeType.HEADERS, true);
                channel.exchangeBind(spread, exchange(spec.topic()), "#");
                channel.exchangeDeclare(membersExchange(spec), BuiltinExchangeType.FANOUT, true);
                for (int partition = 0; partition < options.partitions(); partition++) {
                    String partitionQueue = partitionQueue(spec, partition);
                    channel.queueDeclare(partitionQueue, true, false, false, groupQueue);
                    for (int bucket = partition; bucket < RabbitMqOptions.MAX_PARTITIONS; bucket += options.partitions()) {
                        channel.queueBind(partitionQueue, spread, "", Map.of("x-match", "all",
                                AmqpMessages.BUCKET_HEADER, Integer.toString(bucket)));
                    }
                }
            } else if (spec.source() == ReceiverSpec.Source.SUBSCRIPTION) {
                channel.queueDeclare(queue, true, false, false, groupQueue);
                channel.queueBind(queue, exchange(spec.topic()), "#");
            }
            return channel.queueDeclare(deadLetters, true, false, false, type);
        });
    }

    /**
     * Declares the retry queue of {@code queue} for {@code millis}: its messages wait that long, then dead-letter
     * back into {@code queue}. Switchboard's machinery, not the user's topology: declared whatever the
     * provisioning policy.
     */
    void declareRetryQueue(String queue, long millis) {
        Map<String, Object> arguments = Map.of("x-message-ttl", millis, "x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", queue);
        onChannel(channel -> channel.queueDeclare(retryQueue(queue, millis), true, false, false, arguments));
    }

    /**
     * The messages ready in {@code queue} (not those delivered and not yet acked), from a passive declaration whose
     * answer is awaited at most the connect timeout; a failure leaves as amqp-client's own, in a
     * {@code CompletionException}.
     */
    long readyMessages(String queue) {
        Duration timeout = connections.connectTimeout();
        return onChannel(channel -> {
            var answer = channel.asyncCompletableRpc(new AMQP.Queue.Declare.Builder().queue(queue).passive().build());
            try {
                return (long) ((AMQP.Queue.DeclareOk) answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS).getMethod())
                        .getMessageCount();
            } catch (ExecutionException e) {
                throw new CompletionException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            } catch (TimeoutException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** Runs a passive declaration: true if it found the entity, false if the broker answered 404. */
    private static boolean exists(Channel channel, ChannelCall<?> passive) throws IOException {
        try {
            passive.run(channel);
            return true;
        } catch (IOException e) {
            if (RabbitMqErrors.isNotFound(e)) {
                return false;
            }
            throw e;
        }
    }

    private <T> T onChannel(ChannelCall<T> call) {
        Channel channel = null;
        try {
            channel = connections.openChannel();
            return call.run(channel);
        } catch (IOException | TimeoutException e) {
            throw new CompletionException(e);
        } finally {
            closeQuietly(channel);
        }
    }

    /** Closes a throwaway channel, which a failed declaration has closed already. */
    static void closeQuietly(Channel channel) {
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            // closed meanwhile: nothing left to release
        }
    }

    @FunctionalInterface
    private interface ChannelCall<T> {
        T run(Channel channel) throws IOException;
    }
}
