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
 */
class SwitchboardSide extends Side {
    static final String TYPE = "dev.switchboard.bench.event";

    final Messaging messaging;
    final String topic;
    final String group;
    private final int concurrency;
    private final int prefetch;
    private final int maxOutstanding;

    SwitchboardSide(Map<String, String> properties, String topic, String group, int concurrency, int prefetch,
                    int maxOutstanding) {
        this.messaging = Messaging.fromConfig(properties);
        this.topic = topic;
        this.group = group;
        this.concurrency = concurrency;
        this.prefetch = prefetch;
        this.maxOutstanding = maxOutstanding;
        messaging.provision(topic, group);
    }

    @Override
    String name() {
        return "switchboard";
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
        messaging.publisher().publish(topic, envelope(seq)).whenComplete((result, error) -> {
            if (error != null) {
                errors.incrementAndGet();
            }
            done.run();
        });
    }

    @Override
    Running consume(Sink sink) {
        Subscriber subscriber = messaging.subscribe(Subscription.to(topic).group(group)
                .onEnvelope((envelope, context) -> {
                    ByteBuffer data = envelope.dataBuffer();
                    sink.onEvent(EventBytes.seq(data), EventBytes.ts(data));
                })
                .concurrency(concurrency)
                .prefetch(prefetch));
        return () -> subscriber.close(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        messaging.close(Duration.ofSeconds(30));
    }
}
