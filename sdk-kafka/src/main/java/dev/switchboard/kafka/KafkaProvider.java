package dev.switchboard.kafka;

import dev.switchboard.kafka.internal.KafkaDriver;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.BrokerProvider;
import dev.switchboard.spi.ConfigKey;
import dev.switchboard.spi.DriverContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * The {@code kafka} provider: Switchboard on Apache Kafka (kafka-clients 4.x).
 *
 * <p>Mapping: topic = Kafka topic; group = consumer group; partition key = record key, so one key stays
 * in one partition and is handled in order; envelope = CloudEvents Kafka binding, binary mode ({@code ce_}
 * headers and {@code content-type}), structured mode readable; dead letters go to the topic
 * {@code <topic>.<group>.dlq}. See the README for the configuration reference.
 *
 * @since 0.1
 */
public final class KafkaProvider implements BrokerProvider {
    public static final String NAME = "kafka";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Switchboard's keys, and the native pass-through prefixes, each checked against the config names of the
     * clients it reaches, so that {@code switchboard.kafka.sasl.pasword} fails at startup like any other typo.
     */
    @Override
    public List<ConfigKey> configKeys() {
        Set<String> producer = nativeNames(ProducerConfig.configNames());
        Set<String> consumer = nativeNames(ConsumerConfig.configNames());
        Set<String> admin = nativeNames(AdminClientConfig.configNames());
        Set<String> everyClient = new TreeSet<>(producer);
        everyClient.addAll(consumer);
        everyClient.addAll(admin);
        return List.of(
                ConfigKey.of(KafkaOptions.BOOTSTRAP_SERVERS, "host:port[,host:port...]; default localhost:9092"),
                ConfigKey.of(KafkaOptions.CLIENT_ID, "prefix of the clients' client.id; default the service name"),
                ConfigKey.of(KafkaOptions.PARTITIONS, "partitions of the topics Switchboard creates; default 3"),
                ConfigKey.of(KafkaOptions.REPLICATION_FACTOR, "replication factor of created topics; default the broker's"),
                ConfigKey.of(KafkaOptions.EVENT_TIME, "where the event's time travels: header (ce_time, default) or"
                        + " record-timestamp (the record's timestamp, one header less; set it alike on both sides)"),
                ConfigKey.of(KafkaOptions.SECURITY_PROTOCOL, "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"),
                ConfigKey.of(KafkaOptions.SASL_USERNAME, "SASL user; with sasl.password, builds the JAAS config for"
                        + " SCRAM-SHA-256 (default), SCRAM-SHA-512 or PLAIN"),
                ConfigKey.secret(KafkaOptions.SASL_PASSWORD, "SASL password"),
                ConfigKey.prefix(KafkaOptions.SASL_PREFIX, "native sasl.* client properties, such as sasl.mechanism",
                        ConfigKey.namesUnder("sasl.", everyClient)),
                ConfigKey.prefix(KafkaOptions.SSL_PREFIX,
                        "native ssl.* client properties, such as ssl.truststore.location", ConfigKey.namesUnder("ssl.", everyClient)),
                ConfigKey.prefix(KafkaOptions.PROPERTIES_PREFIX, "native properties for every Kafka client",
                        everyClient),
                ConfigKey.prefix(KafkaOptions.PRODUCER_PREFIX, "native producer properties, such as linger.ms",
                        producer),
                ConfigKey.prefix(KafkaOptions.CONSUMER_PREFIX, "native consumer properties, such as fetch.min.bytes",
                        consumer),
                ConfigKey.prefix(KafkaOptions.ADMIN_PREFIX, "native admin-client properties", admin));
    }

    /** A client's config names, and the open-ended families every client reads: config providers, metrics context. */
    private static Set<String> nativeNames(Set<String> configNames) {
        Set<String> names = new TreeSet<>(configNames);
        names.add(AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".");
        names.add(CommonClientConfigs.METRICS_CONTEXT_PREFIX);
        return names;
    }

    @Override
    public BrokerDriver open(DriverContext context) {
        return new KafkaDriver(KafkaOptions.from(context.config(), context.serviceName()), context);
    }
}
