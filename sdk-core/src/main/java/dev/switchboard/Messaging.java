package dev.switchboard;

import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.internal.config.ConfigResolver;
import dev.switchboard.internal.config.CoreSettings;
import dev.switchboard.internal.DeadLetterQueue;
import dev.switchboard.internal.InMemoryDeduplicationStore;
import dev.switchboard.internal.Observers;
import dev.switchboard.internal.config.ProviderLookup;
import dev.switchboard.internal.publish.PublishPipeline;
import dev.switchboard.internal.RuntimeContext;
import dev.switchboard.internal.receive.SubscriptionRuntime;
import dev.switchboard.internal.Threads;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.BrokerProvider;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.DriverContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The entry point: one connection to one broker, chosen by configuration alone.
 *
 * <pre>{@code
 * try (Messaging messaging = Messaging.fromConfig()) {      // switchboard.broker=kafka|rabbitmq|sns-sqs|in-memory
 *     messaging.publisher().publish("orders", new OrderPlaced("o-42", 1999));
 *     messaging.subscribe(Subscription.to("orders").group("billing")
 *         .on(OrderPlaced.class, (event, ctx) -> bill(event)));
 * }
 * }</pre>
 *
 * <p>The broker provider is found through {@link java.util.ServiceLoader} by {@code switchboard.broker}; with
 * a single provider on the classpath that one is used. Configuration that cannot work (an unknown key, a
 * malformed value, no provider) fails here with a {@link ConfigurationException}. Creating a messaging
 * instance does not wait for the broker: a broker that is down is retried, and operations fail with
 * {@link ErrorCode#UNAVAILABLE} after {@code switchboard.connect-timeout}.
 *
 * <p>Thread-safe. {@link #close()} drains every subscription, then closes the connection; it is idempotent.
 * Any use after close fails with {@link ErrorCode#FAILED_PRECONDITION}.
 *
 * @since 0.1
 */
public final class Messaging implements AutoCloseable {
    private final String brokerName;
    private final SwitchboardConfig config;
    private final CoreSettings settings;
    private final BrokerDriver driver;
    private final RuntimeContext runtime;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Publisher publisher;
    private final Set<SubscriptionRuntime> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Messaging(Builder builder) {
        ProviderLookup providers = builder.provider != null ? ProviderLookup.of(builder.provider)
                : ProviderLookup.load(Thread.currentThread().getContextClassLoader());
        this.config = ConfigResolver.resolve(builder.explicit, systemProperties(), System.getenv(),
                ConfigResolver.classpathProperties("switchboard.properties"), providers.knownKeys(),
                providers.absentNamespaces());
        this.settings = CoreSettings.from(config);
        BrokerProvider provider = providers.select(config);
        this.brokerName = provider.name();
        this.scheduler = new ScheduledThreadPoolExecutor(1, Threads.named("switchboard-scheduler", true));
        this.scheduler.setRemoveOnCancelPolicy(true);
        try {
            this.driver = provider.open(new DriverContext(config, settings.serviceName(), settings.connectTimeout(),
                    scheduler, name -> Threads.named("switchboard-" + name, true)));
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
        this.runtime = new RuntimeContext(brokerName, driver, settings, builder.codec, builder.types,
                builder.deduplicationStore != null ? builder.deduplicationStore : new InMemoryDeduplicationStore(),
                scheduler, Observers.of(builder.instrumentation), this::ensureOpen);
        this.publisher = new Publisher(new PublishPipeline(runtime));
    }

    /** Connects as configured by system properties, environment variables and {@code switchboard.properties}. */
    public static Messaging fromConfig() {
        return builder().build();
    }

    /** Connects as configured, with {@code properties} taking precedence over every other source. */
    public static Messaging fromConfig(Map<String, String> properties) {
        return builder().properties(properties).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The publisher; the same instance on every call. */
    public Publisher publisher() {
        ensureOpen();
        return publisher;
    }

    /**
     * Starts a subscription: provisions the topic, the group and its dead-letter destination (under
     * {@code switchboard.provisioning}), then starts receiving. Returns once the subscription is registered
     * with the broker, so an event published after this returns is delivered to it.
     *
     * @throws MessagingException with {@link ErrorCode#NOT_FOUND} if the topic is missing under
     *     {@code VALIDATE}, or {@link ErrorCode#FAILED_PRECONDITION} if it asks for an ordering the broker
     *     cannot keep
     */
    public Subscriber subscribe(Subscription subscription) {
        ensureOpen();
        SubscriptionRuntime running = SubscriptionRuntime.start(runtime, subscription, subscriptions::remove);
        subscriptions.add(running);
        return new Subscriber(running);
    }

    /** Builds and starts a subscription; see {@link #subscribe(Subscription)}. */
    public Subscriber subscribe(Subscription.Builder subscription) {
        return subscribe(subscription.build());
    }

    /**
     * Creates the topic, the group and its dead-letter destination without consuming, so that events
     * published from now on wait for the group's first subscriber.
     */
    public void provision(String topic, String group) {
        ensureOpen();
        runtime.provision(topic, group);
    }

    /** The dead letters of {@code group} on {@code topic}. */
    public DeadLetters deadLetters(String topic, String group) {
        ensureOpen();
        return new DeadLetters(new DeadLetterQueue(runtime, topic, group));
    }

    /** The registry that maps event types to payload classes; register types before subscribing. */
    public TypeRegistry types() {
        return runtime.types();
    }

    /** The name of the provider in use, such as {@code kafka}. */
    public String brokerName() {
        return brokerName;
    }

    /** What the broker in use offers beyond the required contract. */
    public Set<Capability> capabilities() {
        return driver.capabilities();
    }

    /** The resolved configuration (its {@code toString} redacts secrets). */
    public SwitchboardConfig config() {
        return config;
    }

    /**
     * The health of this instance and of each running subscription, for readiness and liveness probes; usable
     * without any metrics library. Never waits for the broker (each subscription's lag is read in the background, at
     * most once a second), so a probe answers at once even during an outage; see {@link Health}.
     */
    public Health health() {
        if (closed.get()) {
            return new Health(Health.Status.DOWN, brokerName, Connectivity.DISCONNECTED, List.of());
        }
        List<SubscriptionHealth> each = subscriptions.stream().map(SubscriptionRuntime::health).toList();
        Connectivity connectivity = driver.connectivity();
        return new Health(Health.summarize(connectivity, each), brokerName, connectivity, each);
    }

    /** The driver or its native client, for what Switchboard does not cover. */
    public <T> Optional<T> unwrap(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return type.isInstance(driver) ? Optional.of(type.cast(driver)) : driver.unwrap(type);
    }

    /** Drains every subscription within {@code switchboard.shutdown.timeout}, then disconnects. */
    @Override
    public void close() {
        close(settings.shutdownTimeout());
    }

    /**
     * Drains every subscription, sharing {@code timeout} among them, then disconnects. Idempotent.
     *
     * @return true if every subscription drained in time
     */
    public boolean close(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean drained = true;
        for (SubscriptionRuntime subscription : subscriptions) {
            drained &= subscription.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        driver.close();
        runtime.close();
        scheduler.shutdownNow();
        return drained;
    }

    @Override
    public String toString() {
        return "Messaging{broker=" + brokerName + ", closed=" + closed.get() + ", config=" + config + "}";
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new MessagingException(ErrorCode.FAILED_PRECONDITION, "this Messaging instance ("
                    + brokerName + ") is closed");
        }
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> result = new LinkedHashMap<>();
        System.getProperties().forEach((k, v) -> result.put(String.valueOf(k), String.valueOf(v)));
        return result;
    }

    /**
     * Configures a {@link Messaging} beyond properties: a custom codec, type bindings, a shared
     * deduplication store, an explicitly wired provider. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final Map<String, String> explicit = new LinkedHashMap<>();
        private PayloadCodec codec = PayloadCodec.json();
        private final TypeRegistry types = new TypeRegistry();
        private DeduplicationStore deduplicationStore;
        private BrokerProvider provider;
        private final List<Instrumentation> instrumentation = new ArrayList<>();

        private Builder() {
        }

        /** Sets a property, taking precedence over system properties, environment and the classpath file. */
        public Builder property(String key, String value) {
            explicit.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value of " + key));
            return this;
        }

        public Builder properties(Map<String, String> properties) {
            properties.forEach(this::property);
            return this;
        }

        public Builder codec(PayloadCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** Binds an event type to a payload class; see {@link TypeRegistry#register}. */
        public Builder type(String type, Class<?> payloadClass) {
            types.register(type, payloadClass);
            return this;
        }

        public Builder deduplicationStore(DeduplicationStore store) {
            this.deduplicationStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Adds an observer of publishes, deliveries and subscriptions, such as the metrics of
         * {@code switchboard-micrometer} or the traces of {@code switchboard-opentelemetry}; observers are called in
         * the order they were added. See {@link Instrumentation}.
         */
        public Builder instrumentation(Instrumentation instrumentation) {
            this.instrumentation.add(Objects.requireNonNull(instrumentation, "instrumentation"));
            return this;
        }

        /**
         * Uses {@code provider} instead of looking one up with {@link java.util.ServiceLoader}: for explicit wiring,
         * such as a DI container or a provider not registered as a service. Its configuration keys are validated as
         * if it were found on the classpath, and {@code switchboard.broker}, if set, must be its name.
         */
        public Builder provider(BrokerProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * Resolves configuration, selects the provider and opens the driver.
         *
         * @throws ConfigurationException if the configuration cannot work
         */
        public Messaging build() {
            return new Messaging(this);
        }
    }
}
