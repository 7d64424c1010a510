package dev.switchboard.rabbitmq;

import dev.switchboard.rabbitmq.internal.RabbitMqDriver;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.BrokerProvider;
import dev.switchboard.spi.ConfigKey;
import dev.switchboard.spi.DriverContext;
import java.util.List;

/**
 * The {@code rabbitmq} provider: Switchboard on RabbitMQ (amqp-client 5.x).
 *
 * <p>Mapping: topic = durable topic exchange; group = durable queue {@code <topic>.<group>} bound to it
 * (quorum by default, single active consumer for per-key order); envelope = CloudEvents attributes as
 * {@code cloudEvents:*} headers, {@code content-type} and {@code message-id} in the properties, persistent;
 * dead letters go to the queue {@code <topic>.<group>.dlq}. One connection, recovered automatically; for a
 * cluster, {@code switchboard.rabbitmq.addresses} lists its nodes, tried in order on connecting and on every
 * recovery. See the README for the configuration reference.
 *
 * @since 0.1
 */
public final class RabbitMqProvider implements BrokerProvider {
    public static final String NAME = "rabbitmq";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(
                ConfigKey.of(RabbitMqOptions.URI_KEY, "amqp://user:password@host:port/vhost or amqps://…; default amqp://guest:guest@localhost:5672/"),
                ConfigKey.of(RabbitMqOptions.HOST, "broker host; wins over the URI"),
                ConfigKey.of(RabbitMqOptions.PORT, "broker port; default 5672, or 5671 with TLS"),
                ConfigKey.of(RabbitMqOptions.ADDRESSES, "host[:port],host[:port],… of a cluster's nodes, tried in order on"
                        + " connecting and on every recovery, instead of the URI's host; the URI, host and port, when set,"
                        + " must name one of them"),
                ConfigKey.of(RabbitMqOptions.VIRTUAL_HOST, "virtual host; default /"),
                ConfigKey.of(RabbitMqOptions.USERNAME, "user; default guest"),
                ConfigKey.secret(RabbitMqOptions.PASSWORD, "password; default guest"),
                ConfigKey.of(RabbitMqOptions.TLS, "connect over TLS (amqps); default true for an amqps URI"),
                ConfigKey.of(RabbitMqOptions.TRUST_STORE, "PKCS12 or JKS truststore with the broker's CA; default the JVM's trust"),
                ConfigKey.secret(RabbitMqOptions.TRUST_STORE_PASSWORD, "truststore password"),
                ConfigKey.of(RabbitMqOptions.VERIFY_HOSTNAME, "check that the broker certificate names the host; default true"),
                ConfigKey.of(RabbitMqOptions.QUEUE_TYPE, "quorum (default) or classic group queues"),
                ConfigKey.of(RabbitMqOptions.SINGLE_ACTIVE_CONSUMER, "one consuming member per group at a time, for"
                        + " per-key order across members; default true"),
                ConfigKey.of(RabbitMqOptions.PARTITIONS, "queues a group is spread over by partition key, shared by its"
                        + " members, each with one active consumer; 1 to 64, default 1"));
    }

    @Override
    public BrokerDriver open(DriverContext context) {
        return new RabbitMqDriver(RabbitMqOptions.from(context.config()), context);
    }
}
