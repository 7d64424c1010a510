package dev.switchboard.kafka;

import dev.switchboard.kafka.internal.KafkaDriver;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.BrokerProvider;
import dev.switchboard.spi.ConfigKey;
import dev.switchboard.spi.DriverContext;
import java.util.List;

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

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(
                ConfigKey.of(KafkaOptions.BOOTSTRAP_SERVERS, "host:port[,host:port...]; default localhost:9092"),
                ConfigKey.of(KafkaOptions.CLIENT_ID, "prefix of the clients' client.id; default the service name"),
                ConfigKey.of(KafkaOptions.PARTITIONS, "partitions of the topics Switchboard creates; default 3"),
                ConfigKey.of(KafkaOptions.REPLICATION_FACTOR, "replication factor of created topics; default the broker's"),
                ConfigKey.of(KafkaOptions.SECURITY_PROTOCOL, "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"),
                ConfigKey.of(KafkaOptions.SASL_USERNAME, "SASL user; with sasl.password, builds the JAAS config for"
                        + " SCRAM-SHA-256 (default), SCRAM-SHA-512 or PLAIN"),
                ConfigKey.secret(KafkaOptions.SASL_PASSWORD, "SASL password"),
                ConfigKey.prefix(KafkaOptions.SASL_PREFIX, "native sasl.* client properties, such as sasl.mechanism"),
                ConfigKey.prefix(KafkaOptions.SSL_PREFIX, "native ssl.* client properties, such as ssl.truststore.location"),
                ConfigKey.prefix(KafkaOptions.PROPERTIES_PREFIX, "native properties for every Kafka client"),
                ConfigKey.prefix(KafkaOptions.PRODUCER_PREFIX, "native producer properties, such as linger.ms"),
                ConfigKey.prefix(KafkaOptions.CONSUMER_PREFIX, "native consumer properties, such as fetch.min.bytes"),
                ConfigKey.prefix(KafkaOptions.ADMIN_PREFIX, "native admin-client properties"));
    }

    @Override
    public BrokerDriver open(DriverContext context) {
        return new KafkaDriver(KafkaOptions.from(context.config(), context.serviceName()), context);
    }
}
