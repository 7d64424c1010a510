package dev.switchboard.kafka.internal;

import dev.switchboard.kafka.KafkaOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The native configuration of each client: Switchboard's defaults, then the user's pass-through properties,
 * which always win.
 */
final class KafkaClients {
    static final int SESSION_TIMEOUT_MS = 6000;
    private final KafkaOptions options;
    private final Duration connectTimeout;

    KafkaClients(KafkaOptions options, Duration connectTimeout) {
        this.options = options;
        this.connectTimeout = connectTimeout;
    }

    /**
     * At-least-once publishing tuned for throughput: every in-sync replica acknowledges, the idempotent
     * producer keeps retries from duplicating or reordering, and small batches are collected for 5 ms.
     * {@code max.block.ms} bounds how long a send waits for an unreachable broker (on the driver's thread, see
     * {@code FirstSends}); the metadata of a topic stays a day after its last publish, so that a send to it does
     * not wait for the broker again.
     */
    Map<String, Object> producer() {
        Map<String, Object> config = base("producer");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, connectTimeout.toMillis());
        config.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Duration.ofDays(1).toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return withPassThrough(config, options.producer());
    }

    /**
     * A group member that commits explicitly and starts a new group at the earliest offset. A member that dies
     * (kill -9, a lost host) is given up after {@value #SESSION_TIMEOUT_MS} ms, the least the broker allows by
     * default ({@code group.min.session.timeout.ms}), instead of the client's 45 s, so that its partitions move to
     * the others within 10 s; a handler slower than that does not matter (the poller keeps polling, see
     * {@code KafkaReceiver.keepAlive}), a JVM paused longer (a long GC) does.
     */
    Map<String, Object> consumer(String group, int maxPollRecords) {
        Map<String, Object> config = base("consumer-" + group);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, SESSION_TIMEOUT_MS / 4);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) connectTimeout.toMillis());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return withPassThrough(config, options.consumer());
    }

    /** Admin calls give up after the connect timeout, so provisioning never hangs on a dead broker. */
    Map<String, Object> admin() {
        Map<String, Object> config = base("admin");
        int timeout = (int) connectTimeout.toMillis();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        return withPassThrough(config, options.admin());
    }

    private Map<String, Object> base(String role) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, options.clientId() + "-" + role + "-" + UUID.randomUUID().toString().substring(0, 8));
        return config;
    }

    /**
     * The user's properties on top of our defaults: those for every client, then those for this client. Applied
     * last, so that a {@code switchboard.kafka.properties.*} value also beats a client-specific default.
     */
    private Map<String, Object> withPassThrough(Map<String, Object> config, Map<String, String> clientSpecific) {
        config.putAll(options.common());
        config.putAll(clientSpecific);
        return config;
    }
}
