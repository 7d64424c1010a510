package dev.switchboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a service wants to receive: a topic, a group, typed handlers, and how failures are handled.
 *
 * <pre>{@code
 * messaging.subscribe(Subscription.to("orders").group("billing")
 *     .on(OrderPlaced.class, (event, ctx) -> bill(event))     // return = ack, throw = retry
 *     .retry(RetryPolicy.exponential(5, Duration.ofMillis(200)))
 *     .concurrency(8));
 * }</pre>
 *
 * <p>Every member of a group competes for the group's events; every group gets every event of the topic.
 * Anything left unset takes its value from configuration ({@code switchboard.consumer.*},
 * {@code switchboard.retry.*}, {@code switchboard.unknown-types}). Immutable once built; the builder is not
 * thread-safe.
 *
 * @since 0.1
 */
public final class Subscription {
    private final String topic;
    private final String group;
    private final List<TypedHandler<?>> handlers;
    private final EnvelopeHandler envelopeHandler;
    private final RetryPolicy retryPolicy;
    private final Integer concurrency;
    private final Integer prefetch;
    private final Ordering ordering;
    private final UnknownTypePolicy unknownTypePolicy;
    private final Duration deduplicationTtl;
    private final boolean onlyHandledTypes;

    private Subscription(Builder b) {
        this.topic = b.topic;
        this.group = b.group;
        this.handlers = List.copyOf(b.handlers);
        this.envelopeHandler = b.envelopeHandler;
        this.retryPolicy = b.retryPolicy;
        this.concurrency = b.concurrency;
        this.prefetch = b.prefetch;
        this.ordering = b.ordering;
        this.unknownTypePolicy = b.unknownTypePolicy;
        this.deduplicationTtl = b.deduplicationTtl;
        this.onlyHandledTypes = b.onlyHandledTypes;
    }

    /** Starts a subscription to {@code topic}. */
    public static Builder to(String topic) {
        return new Builder(topic);
    }

    public String topic() {
        return topic;
    }

    public String group() {
        return group;
    }

    public List<TypedHandler<?>> handlers() {
        return handlers;
    }

    public Optional<EnvelopeHandler> envelopeHandler() {
        return Optional.ofNullable(envelopeHandler);
    }

    public Optional<RetryPolicy> retryPolicy() {
        return Optional.ofNullable(retryPolicy);
    }

    public Optional<Integer> concurrency() {
        return Optional.ofNullable(concurrency);
    }

    public Optional<Integer> prefetch() {
        return Optional.ofNullable(prefetch);
    }

    public Optional<Ordering> ordering() {
        return Optional.ofNullable(ordering);
    }

    public Optional<UnknownTypePolicy> unknownTypePolicy() {
        return Optional.ofNullable(unknownTypePolicy);
    }

    /** Present when deduplication by event id is on, with how long an id is remembered. */
    public Optional<Duration> deduplicationTtl() {
        return Optional.ofNullable(deduplicationTtl);
    }

    /** Whether the broker is asked to deliver only the types the typed handlers take. */
    public boolean onlyHandledTypes() {
        return onlyHandledTypes;
    }

    @Override
    public String toString() {
        return "Subscription{topic=" + topic + ", group=" + group + ", handlers=" + handlers.size() + "}";
    }

    /**
     * A handler bound to a payload class and, optionally, an explicit event type.
     *
     * @param type the CloudEvents type, or null to derive it from the class ({@link EventType} or class name)
     * @param payloadClass the class the payload is decoded into; {@code byte[]}, {@code String} and
     *     {@link EventEnvelope} receive the raw payload, its text, or the envelope itself
     * @param handler the handler
     * @param <T> the payload type
     */
    public record TypedHandler<T>(String type, Class<T> payloadClass, EventHandler<? super T> handler) {
        public TypedHandler {
            Objects.requireNonNull(payloadClass, "payloadClass");
            Objects.requireNonNull(handler, "handler");
        }
    }

    /**
     * Builds a {@link Subscription}; every setter validates its argument at once.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final String topic;
        private String group;
        private final List<TypedHandler<?>> handlers = new ArrayList<>();
        private EnvelopeHandler envelopeHandler;
        private RetryPolicy retryPolicy;
        private Integer concurrency;
        private Integer prefetch;
        private Ordering ordering;
        private UnknownTypePolicy unknownTypePolicy;
        private Duration deduplicationTtl;
        private boolean onlyHandledTypes;

        private Builder(String topic) {
            this.topic = requireName("topic", topic);
        }

        /** The group (subscription name); required. */
        public Builder group(String group) {
            this.group = requireName("group", group);
            return this;
        }

        /** Handles events whose type is the one {@code payloadClass} maps to. */
        public <T> Builder on(Class<T> payloadClass, EventHandler<? super T> handler) {
            handlers.add(new TypedHandler<>(null, payloadClass, handler));
            return this;
        }

        /** Handles events of {@code type}, decoded into {@code payloadClass}. */
        public <T> Builder on(String type, Class<T> payloadClass, EventHandler<? super T> handler) {
            handlers.add(new TypedHandler<>(requireName("type", type), payloadClass, handler));
            return this;
        }

        /** Handles every event whose type no typed handler takes, as a raw envelope. */
        public Builder onEnvelope(EnvelopeHandler handler) {
            this.envelopeHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder retry(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** How many handler calls may run at once (different keys, or unkeyed events). */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /**
         * How many deliveries to hold per unit of concurrency; the subscription holds at most
         * {@code concurrency * prefetch} unacknowledged deliveries.
         */
        public Builder prefetch(int prefetch) {
            if (prefetch < 1) {
                throw new IllegalArgumentException("prefetch must be >= 1, was " + prefetch);
            }
            this.prefetch = prefetch;
            return this;
        }

        /**
         * The ordering to keep. Default: {@link Ordering#PER_KEY} where the broker supports it, else
         * {@link Ordering#NONE}. Asking for {@code PER_KEY} explicitly on a broker that cannot keep it fails at
         * subscribe time.
         */
        public Builder ordering(Ordering ordering) {
            this.ordering = Objects.requireNonNull(ordering, "ordering");
            return this;
        }

        public Builder unknownTypes(UnknownTypePolicy policy) {
            this.unknownTypePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Skips an event whose id this group already handled within {@code ttl}, using the messaging instance's
         * deduplication store (in-memory by default).
         */
        public Builder deduplicate(Duration ttl) {
            if (ttl == null || ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("deduplication ttl must be positive, was " + ttl);
            }
            this.deduplicationTtl = ttl;
            return this;
        }

        /**
         * Asks the broker to deliver only the event types the typed handlers take, where it can filter (an SNS
         * filter policy on the event type); elsewhere other types still arrive and are skipped as usual. Saves
         * receiving and paying for events this group never handles. Not combinable with
         * {@link #onEnvelope(EnvelopeHandler)}, which takes every type.
         */
        public Builder onlyHandledTypes() {
            this.onlyHandledTypes = true;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException if the group is missing or there is no handler at all
         */
        public Subscription build() {
            if (group == null) {
                throw new IllegalArgumentException("group is required for a subscription to \"" + topic + "\"");
            }
            if (handlers.isEmpty() && envelopeHandler == null) {
                throw new IllegalArgumentException("subscription " + topic + "/" + group
                        + " has no handler: add on(Class, handler) or onEnvelope(handler)");
            }
            if (onlyHandledTypes && envelopeHandler != null) {
                throw new IllegalArgumentException("subscription " + topic + "/" + group
                        + ": onlyHandledTypes() cannot be combined with onEnvelope(handler), which takes every type");
            }
            return new Subscription(this);
        }

        static String requireName(String what, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must be a non-empty name, was "
                        + (value == null ? "null" : "\"" + value + "\""));
            }
            return value;
        }
    }
}
