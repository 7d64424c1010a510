package dev.switchboard.micrometer;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.inmemory.InMemoryBroker;
import dev.switchboard.instrumentation.Instrumentation;
import java.util.Arrays;

/** Opens a {@link Messaging} on an in-memory broker with instrumentation registered, as an application would. */
final class Connections {
    /** A payload over the in-memory broker's limit (16 MiB): its publish fails with {@code INVALID_ARGUMENT}. */
    static final int OVERSIZE = 16 * 1024 * 1024 + 1;

    private Connections() {
    }

    static Messaging connect(InMemoryBroker broker, Instrumentation... instrumentation) {
        Messaging.Builder builder = Messaging.builder().properties(broker.properties());
        Arrays.stream(instrumentation).forEach(builder::instrumentation);
        return builder.build();
    }

    static EventEnvelope event(String type, String data) {
        return EventEnvelope.builder().type(type).data(data).build();
    }

    static EventEnvelope oversizeEvent(String type) {
        return EventEnvelope.builder().type(type).data(new byte[OVERSIZE]).build();
    }
}
