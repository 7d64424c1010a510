package dev.switchboard.jdbc;

import dev.switchboard.EventContext;
import dev.switchboard.EventEnvelope;

/** An {@link EventContext} for calling a wrapped handler directly, as the core's dispatcher would. */
record TestContext(EventEnvelope envelope, String topic, String group, int attempt) implements EventContext {
    static TestContext of(String group, String eventId) {
        return new TestContext(EventEnvelope.builder().id(eventId).type("test.payment").source("/tests").data("{}").build(),
                "payments", group, 1);
    }

    @Override
    public int maxAttempts() {
        return 3;
    }
}
