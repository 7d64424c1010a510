package dev.switchboard.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code switchboard.rabbitmq.addresses} on the real broker: a dead first address is skipped when connecting, and
 * automatic recovery moves on to the next address when the node it is connected to goes (a {@link TcpForwarder}
 * stands for that node).
 */
@Timeout(120)
class RabbitMqAddressesTest {
    private static final String GROUP = "addresses-reader";

    private final URI broker = URI.create(RabbitMqTestBroker.uri());
    private final int brokerPort = broker.getPort() > 0 ? broker.getPort() : broker.getScheme().equals("amqps") ? 5671 : 5672;
    /** The broker as an entry of the list; the URI, which gives the credentials, names it. */
    private final String live = broker.getHost() + ":" + brokerPort;
    private final String topic = "addresses-" + UUID.randomUUID();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @Test
    void aDeadFirstAddressIsSkippedAndEventsFlowThroughTheNext() {
        // nothing listens on port 1 (a privileged port), so the first address refuses at once
        try (Messaging messaging = Messaging.fromConfig(properties("127.0.0.1:1," + live))) {
            Connection connection = messaging.unwrap(Connection.class).orElseThrow();

            assertThat(connection.getPort()).as("connected to the second address").isEqualTo(brokerPort);
            messaging.subscribe(Subscription.to(topic).group(GROUP).onEnvelope((event, ctx) -> received.add(event.id())));
            assertRoundTrip(messaging, "after-dead-address", Duration.ofSeconds(10));
        } finally {
            cleanUp();
        }
    }

    @Test
    void recoveryMovesToTheNextAddressWhenTheConnectedNodeGoes() throws Exception {
        try (TcpForwarder node = new TcpForwarder(broker.getHost(), brokerPort);
             Messaging messaging = Messaging.fromConfig(properties("127.0.0.1:" + node.port() + "," + live))) {
            Connection connection = messaging.unwrap(Connection.class).orElseThrow();
            assertThat(connection.getPort()).as("connected through the first address, the forwarder").isEqualTo(node.port());
            messaging.subscribe(Subscription.to(topic).group(GROUP).onEnvelope((event, ctx) -> received.add(event.id())));
            assertRoundTrip(messaging, "through-forwarder", Duration.ofSeconds(10));
            long start = System.nanoTime();

            node.close();

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> connection.isOpen() && connection.getPort() == brokerPort);
            assertThat(connection.getAddress().isLoopbackAddress()).isTrue();
            Duration left = Duration.ofSeconds(10).minus(Duration.ofNanos(System.nanoTime() - start));
            assertRoundTrip(messaging, "after-recovery", left);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("recovered and round-tripped")
                    .isLessThan(Duration.ofSeconds(10));
        } finally {
            cleanUp();
        }
    }

    /** Publishes an event and waits for the subscription to receive it. */
    private void assertRoundTrip(Messaging messaging, String label, Duration within) {
        String id = label + "-" + UUID.randomUUID();
        messaging.publisher().publishAndWait(topic, EventEnvelope.builder().id(id).type("addresses.checked").data(label).build());
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> received.contains(id));
    }

    private static Map<String, String> properties(String addresses) {
        return RabbitMqTestBroker.properties(Map.of(RabbitMqOptions.ADDRESSES, addresses,
                "switchboard.connect-timeout", "5s"));
    }

    private void cleanUp() {
        String queue = topic + "." + GROUP;
        RabbitMqTestBroker.deleteQuietly(topic, queue, queue + ".dlq");
    }
}
