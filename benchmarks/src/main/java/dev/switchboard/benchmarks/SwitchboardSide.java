package dev.switchboard.benchmarks;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;

/**
 * Switchboard on any broker: {@code publisher().publish(topic, envelope)} per event with the 1 KiB JSON already
 * encoded (so that no codec runs that the raw client would not run; the codec is measured by JMH), and an
 * {@code onEnvelope} handler that reads the payload without copying.
 *
 * <p>With an {@link Observability}, the same side with metrics and traces on ({@value #INSTRUMENTED} in the
 * results): its {@code Messaging} is built with {@code SwitchboardMetrics} and {@code SwitchboardTracing}
 * registered, and everything else is the same.
 */
class SwitchboardSide extends Side {
    static final String TYPE = "dev.switchboard.bench.event";
    /** The plain side's name in the results. */
    static final String PLAIN = "switchboard";
    /** The name of the side with Micrometer metrics and OpenTelemetry traces on. */
    static final String INSTRUMENTED = "instrumented";

    final Messaging messaging;
    /** The metrics and traces of the instrumented side; null on the plain side. */
    final Observability observability;
    final String topic;
    final String group;
    private final int concurrency;
    private final int prefetch;
    private final int maxOutstanding;
    /**
     * The typed path ({@code --typed}): publishes a {@link BenchEvent} with {@code publish(topic, event)} (the
     * codec, Jackson, writes it) and handles it with {@code on(BenchEvent.class, …)} (Jackson reads it).
     */
    boolean typed;

    SwitchboardSide(Map<String, String> properties, String topic, String group, int concurrency, int prefetch,
                    int maxOutstanding) {
        this(properties, topic, group, concurrency, prefetch, maxOutstanding, null);
    }

    /** With {@code observability} not null: the instrumented side. */
    SwitchboardSide(Map<String, String> properties, String topic, String group, int concurrency, int prefetch,
                    int maxOutstanding, Observability observability) {
        Messaging.Builder builder = Messaging.builder().properties(properties);
        this.messaging = (observability == null ? builder : observability.register(builder)).build();
        this.observability = observability;
        this.topic = topic;
        this.group = group;
        this.concurrency = concurrency;
        this.prefetch = prefetch;
        this.maxOutstanding = maxOutstanding;
        messaging.provision(topic, group);
    }

    @Override
    String name() {
        return observability == null ? PLAIN : INSTRUMENTED;
    }

    @Override
    int maxOutstanding() {
        return maxOutstanding;
    }

    static EventEnvelope envelope(long seq) {
        return EventEnvelope.builder().type(TYPE).dataContentType("application/json").data(dev.switchboard.Payload.wrap(EventBytes.make(seq))).build();
    }

    @Override
    void send(long seq, Runnable done) {
        (typed ? messaging.publisher().publish(topic, (Object) BenchEvent.of(seq))
                : messaging.publisher().publish(topic, envelope(seq))).whenComplete((result, error) -> {
            if (error != null) {
                errors.incrementAndGet();
            }
            done.run();
        });
    }

    @Override
    Running consume(Sink sink) {
        Subscription.Builder subscription = Subscription.to(topic).group(group);
        if (typed) {
            subscription.on(BenchEvent.class, (event, context) -> sink.onEvent(event.seq(), event.ts()));
        } else {
            subscription.onEnvelope((envelope, context) -> {
                ByteBuffer data = envelope.dataBuffer();
                sink.onEvent(EventBytes.seq(data), EventBytes.ts(data));
            });
        }
        Subscriber subscriber = messaging.subscribe(subscription
                .concurrency(concurrency)
                .prefetch(prefetch));
        return () -> subscriber.close(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        try {
            messaging.close(Duration.ofSeconds(30));
        } finally {
            if (observability != null) {
                observability.close();
            }
        }
    }
}
