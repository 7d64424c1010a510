package dev.switchboard.micrometer;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;
import dev.switchboard.instrumentation.DeliveryContext;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import dev.switchboard.instrumentation.PublishContext;
import dev.switchboard.instrumentation.PublishObservation;
import dev.switchboard.instrumentation.SubscriptionView;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Micrometer meters for one or more {@link dev.switchboard.Messaging} instances, named after the OpenTelemetry
 * messaging semantic conventions where they have a name, with OpenTelemetry attribute names as tag keys:
 *
 * <pre>{@code
 * Messaging messaging = Messaging.builder()
 *     .instrumentation(new SwitchboardMetrics(meterRegistry))
 *     .build();
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>counts or measures</th></tr>
 *   <tr><td>{@value #SENT_MESSAGES}</td><td>counter</td><td>system, destination, operation ({@code send}), event
 *       type, {@code error.type}</td><td>publishes that ended, one per event</td></tr>
 *   <tr><td>{@value #OPERATION_DURATION}</td><td>timer</td><td>as above</td><td>from the publish call to the
 *       broker's confirmation or the failure</td></tr>
 *   <tr><td>{@value #CONSUMED_MESSAGES}</td><td>counter</td><td>system, destination, operation ({@code process}),
 *       group, event type, {@code outcome}</td><td>settlements, one per handler call and one per delivery settled
 *       without a handler</td></tr>
 *   <tr><td>{@value #PROCESS_DURATION}</td><td>timer</td><td>system, destination, operation ({@code process}),
 *       group, event type, {@code error.type}</td><td>handler calls</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>counter</td><td>system, destination, group, event type</td><td>failed
 *       attempts that will be retried</td></tr>
 *   <tr><td>{@value #DEAD_LETTERS}</td><td>counter</td><td>as above, {@code reason}</td><td>deliveries written to
 *       the dead letters</td></tr>
 *   <tr><td>{@value #SKIPPED}</td><td>counter</td><td>as above</td><td>deliveries of a type no handler takes</td></tr>
 *   <tr><td>{@value #DUPLICATES}</td><td>counter</td><td>as above</td><td>deliveries deduplication found handled
 *       already</td></tr>
 *   <tr><td>{@value #IN_FLIGHT}</td><td>gauge</td><td>system, destination, group</td><td>deliveries received and
 *       not yet settled</td></tr>
 *   <tr><td>{@value #CONSUMER_LAG}</td><td>gauge</td><td>system, destination, group</td><td>messages of the group
 *       not yet acknowledged, where the broker tells it; NaN where it does not</td></tr>
 * </table>
 *
 * <p>Tag values: {@code error.type} is {@code none} on success (every meter of a name has the same tag keys,
 * as Prometheus requires), the {@link ErrorCode} name of a failed publish, the simple class name of what a handler
 * threw. {@code outcome} is {@link Outcome.Kind#tag()}. The event type tag ({@code cloudevents.event_type}) keeps
 * the first {@linkplain Builder#maxEventTypes(int) 100} distinct types seen by this instance and is
 * {@code _other} for the rest; event ids never become tags.
 *
 * <p>Delivery semantics: a delivery retried in this process is one handler call, one process timing and one
 * {@value #CONSUMED_MESSAGES} count per attempt ({@code retry_scheduled} for all but the last); a delivery the
 * broker redelivers is counted again when it comes back. A handler call whose payload cannot be decoded is counted
 * as consumed ({@code dead_lettered}) without a process timing: no handler ran.
 *
 * <p>The gauges exist while a subscription runs: registered when it starts, removed when it has closed. Each
 * holds its subscriptions strongly until then; subscriptions to the same topic and group share one gauge, which
 * sums their in-flight deliveries.
 *
 * <p>Use one instance per {@link MeterRegistry}; one instance may observe several {@code Messaging} instances (the
 * event type limit then counts across them). Histograms, percentiles and common tags are configured on the
 * registry ({@code MeterFilter}), as for any Micrometer meter. Thread-safe; on the hot path every meter is cached
 * per tag combination, so a publish or a delivery costs a few map look-ups and no tag building.
 *
 * @since 0.2
 */
public final class SwitchboardMetrics implements Instrumentation {
    /** Counter of publishes that ended, successfully or not (OpenTelemetry name). */
    public static final String SENT_MESSAGES = "messaging.client.sent.messages";
    /** Timer of publishes, from the call to the confirmation or the failure (OpenTelemetry name). */
    public static final String OPERATION_DURATION = "messaging.client.operation.duration";
    /** Counter of settled deliveries, tagged with their outcome (OpenTelemetry name). */
    public static final String CONSUMED_MESSAGES = "messaging.client.consumed.messages";
    /** Timer of handler calls (OpenTelemetry name). */
    public static final String PROCESS_DURATION = "messaging.process.duration";
    /** Counter of failed attempts that will be retried. */
    public static final String RETRIES = "switchboard.retries";
    /** Counter of deliveries written to the dead letters, tagged with the reason. */
    public static final String DEAD_LETTERS = "switchboard.dead.letters";
    /** Counter of deliveries of a type no handler takes, acknowledged unhandled. */
    public static final String SKIPPED = "switchboard.skipped";
    /** Counter of deliveries that deduplication found handled already. */
    public static final String DUPLICATES = "switchboard.duplicates";
    /** Gauge of deliveries received and not yet settled, per subscription. */
    public static final String IN_FLIGHT = "switchboard.in.flight";
    /** Gauge of the messages of a group not yet acknowledged, per subscription; NaN where the broker cannot tell. */
    public static final String CONSUMER_LAG = "switchboard.consumer.lag";
    /** How many distinct event types keep their name as a tag value unless {@link Builder#maxEventTypes} says. */
    public static final int DEFAULT_MAX_EVENT_TYPES = 100;

    private static final int OUTCOME_KINDS = Outcome.Kind.values().length;
    private static final int ERROR_CODES = ErrorCode.values().length;

    private final MeterRegistry registry;
    private final Clock clock;
    private final EventTypeTags eventTypes;
    private final Map<Scope, TypedMeters<PublishMeters>> publishScopes = new ConcurrentHashMap<>();
    private final Map<Scope, TypedMeters<ConsumeMeters>> consumeScopes = new ConcurrentHashMap<>();
    /** The scope of the last publish: a service publishes to the same topic event after event. */
    private volatile TypedMeters<PublishMeters> lastPublishScope;
    /** The scope of the last delivery: a subscription's topic and group never change. */
    private volatile TypedMeters<ConsumeMeters> lastConsumeScope;
    /** The gauges of running subscriptions; changed under its own lock (starts and closes are rare). */
    private final Map<SubscriptionKey, SubscriptionGauges> gauges = new HashMap<>();

    /** Meters with the defaults, in {@code registry}. */
    public SwitchboardMetrics(MeterRegistry registry) {
        this(builder(registry));
    }

    private SwitchboardMetrics(Builder builder) {
        this.registry = builder.registry;
        this.clock = registry.config().clock();
        this.eventTypes = new EventTypeTags(builder.maxEventTypes);
    }

    /** A builder for meters in {@code registry}, to change the defaults. */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    @Override
    public PublishObservation publishStarted(PublishContext publish) {
        TypedMeters<PublishMeters> scope = lastPublishScope;
        if (scope == null || !scope.scope.is(publish.system(), publish.topic(), "")) {
            scope = publishScopes.computeIfAbsent(new Scope(publish.system(), publish.topic(), ""),
                    s -> new TypedMeters<>(s, PublishMeters::new));
            lastPublishScope = scope;
        }
        return new Sending(scope.of(publish.envelope().type()), clock.monotonicTime());
    }

    @Override
    public ProcessObservation processStarted(DeliveryContext delivery) {
        return new Processing(consumeMeters(delivery), clock.monotonicTime());
    }

    @Override
    public void settledWithoutHandler(DeliveryContext delivery, Outcome outcome) {
        consumeMeters(delivery).count(outcome);
    }

    @Override
    public void subscriptionStarted(SubscriptionView subscription) {
        SubscriptionKey key = new SubscriptionKey(subscription.system(), subscription.topic(), subscription.group());
        synchronized (gauges) {
            gauges.computeIfAbsent(key, SubscriptionGauges::new).views.add(subscription);
        }
    }

    @Override
    public void subscriptionClosed(SubscriptionView subscription, boolean inTime) {
        SubscriptionKey key = new SubscriptionKey(subscription.system(), subscription.topic(), subscription.group());
        synchronized (gauges) {
            SubscriptionGauges g = gauges.get(key);
            if (g != null && g.views.remove(subscription) && g.views.isEmpty()) {
                gauges.remove(key);
                registry.remove(g.inFlight);
                registry.remove(g.lag);
            }
        }
    }

    private ConsumeMeters consumeMeters(DeliveryContext delivery) {
        TypedMeters<ConsumeMeters> scope = lastConsumeScope;
        if (scope == null || !scope.scope.is(delivery.system(), delivery.topic(), delivery.group())) {
            scope = consumeScopes.computeIfAbsent(new Scope(delivery.system(), delivery.topic(), delivery.group()),
                    s -> new TypedMeters<>(s, ConsumeMeters::new));
            lastConsumeScope = scope;
        }
        return scope.of(delivery.envelope().type());
    }

    /** Where meters apply: system and topic, and the group of a consumer (empty for publishes). */
    private record Scope(String system, String topic, String group) {
        boolean is(String system, String topic, String group) {
            return this.topic.equals(topic) && this.group.equals(group) && this.system.equals(system);
        }
    }

    /**
     * The meters of one scope by event type: a type seen before is one look-up by the type itself (no key to
     * build). Only types within the {@linkplain Builder#maxEventTypes limit} are remembered under their name;
     * the others share the {@value EventTypeTags#OTHER} meters, found through the limit's look-up each time.
     */
    private final class TypedMeters<M> {
        final Scope scope;
        private final java.util.function.BiFunction<Scope, String, M> create;
        private final Map<String, M> byType = new ConcurrentHashMap<>();

        TypedMeters(Scope scope, java.util.function.BiFunction<Scope, String, M> create) {
            this.scope = scope;
            this.create = create;
        }

        M of(String type) {
            M meters = byType.get(type);
            if (meters != null) {
                return meters;
            }
            String tag = eventTypes.tag(type);
            return byType.computeIfAbsent(tag, t -> create.apply(scope, t));
        }
    }

    /** One publish under way: told once of its end. */
    private final class Sending implements PublishObservation {
        private final PublishMeters meters;
        private final long start;

        Sending(PublishMeters meters, long start) {
            this.meters = meters;
            this.start = start;
        }

        @Override
        public void published(PublishResult result) {
            meters.sent.increment();
            meters.duration.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
        }

        @Override
        public void failed(MessagingException failure) {
            PublishMeters.Failed failed = meters.failed(failure.code());
            failed.sent.increment();
            failed.duration.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** One handler call under way: timed until the handler ends, counted when its delivery is settled. */
    private final class Processing implements ProcessObservation {
        private final ConsumeMeters meters;
        private final long start;

        Processing(ConsumeMeters meters, long start) {
            this.meters = meters;
            this.start = start;
        }

        @Override
        public void handlerEnded(Throwable failure) {
            long elapsed = clock.monotonicTime() - start;
            (failure == null ? meters.processed() : meters.processFailed(failure)).record(elapsed, TimeUnit.NANOSECONDS);
        }

        @Override
        public void settled(Outcome outcome) {
            meters.count(outcome);
        }
    }

    private record SubscriptionKey(String system, String topic, String group) {
    }

    /** The publish meters of one system, topic and event type: those of success at once, those of failure when one happens. */
    private final class PublishMeters {
        private final Tags tags;
        final Counter sent;
        final Timer duration;
        private final AtomicReferenceArray<Failed> failures = new AtomicReferenceArray<>(ERROR_CODES);

        PublishMeters(Scope scope, String eventType) {
            tags = Tags.of(Keys.SYSTEM, scope.system(), Keys.DESTINATION, scope.topic(), Keys.OPERATION, Keys.SEND,
                    Keys.EVENT_TYPE, eventType);
            sent = sentCounter(Keys.NONE);
            duration = durationTimer(Keys.NONE);
        }

        Failed failed(ErrorCode code) {
            Failed failed = failures.get(code.ordinal());
            if (failed == null) {
                failed = new Failed(sentCounter(code.name()), durationTimer(code.name()));
                failures.compareAndSet(code.ordinal(), null, failed);
            }
            return failed;
        }

        private Counter sentCounter(String errorType) {
            return Counter.builder(SENT_MESSAGES).description("Events whose publish ended, successfully or not")
                    .baseUnit("messages").tags(tags).tag(Keys.ERROR_TYPE, errorType).register(registry);
        }

        private Timer durationTimer(String errorType) {
            return Timer.builder(OPERATION_DURATION)
                    .description("Publishes, from the call to the broker's confirmation or the failure")
                    .tags(tags).tag(Keys.ERROR_TYPE, errorType).register(registry);
        }

        /** The meters of publishes that failed with one error code. */
        record Failed(Counter sent, Timer duration) {
        }
    }

    /**
     * The consumer meters of one system, topic, group and event type, each registered when first needed: the
     * registry hands out the same meter for the same name and tags, so a race registers nothing twice.
     */
    private final class ConsumeMeters {
        private final Tags tags;
        /** Handler calls that returned; registered on the first (a type only ever skipped has no process timer). */
        private volatile Timer processed;
        private final Map<Class<?>, Timer> processFailures = new ConcurrentHashMap<>();
        private final AtomicReferenceArray<Counter> consumed = new AtomicReferenceArray<>(OUTCOME_KINDS);
        private final AtomicReferenceArray<Counter> byKind = new AtomicReferenceArray<>(OUTCOME_KINDS);
        private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();

        ConsumeMeters(Scope scope, String eventType) {
            tags = Tags.of(Keys.SYSTEM, scope.system(), Keys.DESTINATION, scope.topic(), Keys.GROUP, scope.group(),
                    Keys.EVENT_TYPE, eventType);
        }

        Timer processed() {
            Timer timer = processed;
            if (timer == null) {
                timer = processTimer(Keys.NONE);
                processed = timer;
            }
            return timer;
        }

        Timer processFailed(Throwable failure) {
            Timer timer = processFailures.get(failure.getClass());
            return timer != null ? timer
                    : processFailures.computeIfAbsent(failure.getClass(), type -> processTimer(Keys.className(type)));
        }

        void count(Outcome outcome) {
            Outcome.Kind kind = outcome.kind();
            consumed(kind).increment();
            switch (kind) {
                case RETRY_SCHEDULED -> byKind(kind, RETRIES, "Failed attempts that will be retried").increment();
                case SKIPPED -> byKind(kind, SKIPPED, "Deliveries of a type no handler takes, acknowledged unhandled")
                        .increment();
                case DUPLICATE -> byKind(kind, DUPLICATES, "Deliveries that deduplication found handled already")
                        .increment();
                case DEAD_LETTERED -> deadLetters(outcome.reason().orElse(Keys.NONE)).increment();
                default -> { }
            }
        }

        private Timer processTimer(String errorType) {
            return Timer.builder(PROCESS_DURATION).description("Handler calls")
                    .tags(tags).tag(Keys.OPERATION, Keys.PROCESS).tag(Keys.ERROR_TYPE, errorType).register(registry);
        }

        private Counter consumed(Outcome.Kind kind) {
            Counter counter = consumed.get(kind.ordinal());
            if (counter == null) {
                counter = Counter.builder(CONSUMED_MESSAGES)
                        .description("Deliveries settled: handled, retried, dead-lettered, skipped or given back")
                        .baseUnit("messages").tags(tags).tag(Keys.OPERATION, Keys.PROCESS)
                        .tag(Keys.OUTCOME, kind.tag()).register(registry);
                consumed.set(kind.ordinal(), counter);
            }
            return counter;
        }

        private Counter byKind(Outcome.Kind kind, String name, String description) {
            Counter counter = byKind.get(kind.ordinal());
            if (counter == null) {
                counter = Counter.builder(name).description(description).tags(tags).register(registry);
                byKind.set(kind.ordinal(), counter);
            }
            return counter;
        }

        private Counter deadLetters(String reason) {
            Counter counter = deadLetters.get(reason);
            return counter != null ? counter : deadLetters.computeIfAbsent(reason, r -> Counter.builder(DEAD_LETTERS)
                    .description("Deliveries written to the dead letters").tags(tags).tag(Keys.REASON, r)
                    .register(registry));
        }
    }

    /**
     * The two gauges of the subscriptions to one topic and group. The gauges hold this object strongly, and this
     * object holds the running subscriptions, until the last of them closes and the gauges are removed: a weak
     * reference would gain nothing (this object lives in {@link #gauges} while they run) and could only lose the
     * gauge's value.
     */
    private final class SubscriptionGauges {
        final CopyOnWriteArrayList<SubscriptionView> views = new CopyOnWriteArrayList<>();
        final Gauge inFlight;
        final Gauge lag;

        SubscriptionGauges(SubscriptionKey key) {
            Tags tags = Tags.of(Keys.SYSTEM, key.system(), Keys.DESTINATION, key.topic(), Keys.GROUP, key.group());
            inFlight = Gauge.builder(IN_FLIGHT, this, SubscriptionGauges::inFlight)
                    .description("Deliveries received and not yet settled").baseUnit("messages").tags(tags)
                    .strongReference(true).register(registry);
            lag = Gauge.builder(CONSUMER_LAG, this, SubscriptionGauges::lag)
                    .description("Messages of the group not yet acknowledged, where the broker tells it")
                    .baseUnit("messages").tags(tags).strongReference(true).register(registry);
        }

        double inFlight() {
            int sum = 0;
            for (SubscriptionView view : views) {
                sum += view.inFlight();
            }
            return sum;
        }

        /** The group's lag: the same for every member, so the largest reading; NaN when none can be read. */
        double lag() {
            double lag = Double.NaN;
            for (SubscriptionView view : views) {
                OptionalLong value = view.health().lag();
                if (value.isPresent()) {
                    lag = Double.isNaN(lag) ? value.getAsLong() : Math.max(lag, value.getAsLong());
                }
            }
            return lag;
        }
    }

    /**
     * Changes the defaults of {@link SwitchboardMetrics}. Not thread-safe.
     *
     * @since 0.2
     */
    public static final class Builder {
        private final MeterRegistry registry;
        private int maxEventTypes = DEFAULT_MAX_EVENT_TYPES;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * How many distinct event types keep their name as the {@code cloudevents.event_type} tag (default
         * {@value #DEFAULT_MAX_EVENT_TYPES}); later types are tagged {@code _other}. 0 tags every type
         * {@code _other}.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxEventTypes(int maxEventTypes) {
            this.maxEventTypes = EventTypeTags.checkLimit(maxEventTypes);
            return this;
        }

        public SwitchboardMetrics build() {
            return new SwitchboardMetrics(this);
        }
    }
}
