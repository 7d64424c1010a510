package dev.switchboard.testkit;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Finds a real broker for an integration test, in this order:
 * <ol>
 *   <li>an endpoint given by environment variable or system property (what our CI and most users' CI do:
 *       start the broker as a service, point the tests at it);</li>
 *   <li>a container started with Testcontainers, when Testcontainers is on the test classpath and a
 *       Docker engine answers (one container per broker per JVM);</li>
 *   <li>otherwise the test is <em>skipped</em> with a message saying how to provide the broker — or,
 *       when {@code TEST_REQUIRE_BROKERS=true}, it <em>fails</em>, so that a CI run never passes by
 *       skipping.</li>
 * </ol>
 *
 * <pre>{@code
 * String bootstrap = BrokerFixture.endpoint(BrokerFixture.Broker.KAFKA);
 * }</pre>
 *
 * Thread-safe.
 *
 * @since 0.1
 */
public final class BrokerFixture {
    /** Set to {@code true} to make a missing broker a test failure instead of a skip. */
    public static final String REQUIRE_BROKERS = "TEST_REQUIRE_BROKERS";

    private static final Map<Broker, String> STARTED = new ConcurrentHashMap<>();

    private BrokerFixture() {
    }

    /** The brokers a fixture can provide, with where their endpoint is looked up. */
    public enum Broker {
        /** Kafka bootstrap servers, such as {@code 127.0.0.1:9092}. */
        KAFKA("TEST_KAFKA_BOOTSTRAP_SERVERS", "test.kafka.bootstrap-servers", BrokerFixture::startKafka),
        /** A RabbitMQ URI, such as {@code amqp://guest:guest@127.0.0.1:5672/}. */
        RABBITMQ("TEST_RABBITMQ_URI", "test.rabbitmq.uri", BrokerFixture::startRabbitMq),
        /** An SNS+SQS endpoint, such as {@code http://127.0.0.1:4566}. */
        SNS_SQS("TEST_SNS_SQS_ENDPOINT", "test.sns-sqs.endpoint", BrokerFixture::startLocalStack);

        private final String environmentVariable;
        private final String systemProperty;
        private final Function<Broker, String> container;

        Broker(String environmentVariable, String systemProperty, Function<Broker, String> container) {
            this.environmentVariable = environmentVariable;
            this.systemProperty = systemProperty;
            this.container = container;
        }

        public String environmentVariable() {
            return environmentVariable;
        }

        public String systemProperty() {
            return systemProperty;
        }
    }

    /**
     * The broker's endpoint, from configuration or a container; skips (or fails, see
     * {@link #REQUIRE_BROKERS}) the calling test when there is none.
     */
    public static String endpoint(Broker broker) {
        Optional<String> configured = configured(broker);
        if (configured.isPresent()) {
            return configured.get();
        }
        if (dockerAvailable()) {
            return STARTED.computeIfAbsent(broker, broker.container);
        }
        String howTo = "no " + broker.name().toLowerCase(Locale.ROOT) + " broker for this test: set "
                + broker.environmentVariable + " or -D" + broker.systemProperty
                + ", or run a Docker engine for Testcontainers (scripts/ in the Switchboard repository start local brokers)";
        if (Boolean.parseBoolean(System.getenv(REQUIRE_BROKERS))) {
            throw new AssertionError(howTo + " [" + REQUIRE_BROKERS + "=true]");
        }
        Assumptions.abort(howTo);
        throw new IllegalStateException("unreachable");
    }

    /** The endpoint given by environment variable or system property, if any. */
    public static Optional<String> configured(Broker broker) {
        String value = System.getProperty(broker.systemProperty);
        if (value == null || value.isBlank()) {
            value = System.getenv(broker.environmentVariable);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static boolean dockerAvailable() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, BrokerFixture.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        return DockerClientFactory.instance().isDockerAvailable();
    }

    private static String startKafka(Broker broker) {
        // Kafka advertises the address clients must use, so bind a fixed free host port and advertise it.
        int port = freePort();
        GenericContainer<?> kafka = new GenericContainer<>("apache/kafka:4.1.0")
                .withEnv("KAFKA_LISTENERS", "PLAINTEXT://:9092,CONTROLLER://:9093")
                .withEnv("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://127.0.0.1:" + port)
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        kafka.setPortBindings(List.of(port + ":9092"));
        kafka.start();
        return "127.0.0.1:" + port;
    }

    private static String startRabbitMq(Broker broker) {
        GenericContainer<?> rabbit = new GenericContainer<>("rabbitmq:3.13")
                .withExposedPorts(5672)
                .waitingFor(Wait.forLogMessage(".*Server startup complete.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        rabbit.start();
        return "amqp://guest:guest@" + rabbit.getHost() + ":" + rabbit.getMappedPort(5672) + "/";
    }

    private static String startLocalStack(Broker broker) {
        GenericContainer<?> localStack = new GenericContainer<>("localstack/localstack:4.4")
                .withEnv("SERVICES", "sns,sqs")
                .withExposedPorts(4566)
                .waitingFor(Wait.forLogMessage(".*Ready\\..*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        localStack.start();
        return "http://" + localStack.getHost() + ":" + localStack.getMappedPort(4566);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no free local port for a broker container", e);
        }
    }
}
