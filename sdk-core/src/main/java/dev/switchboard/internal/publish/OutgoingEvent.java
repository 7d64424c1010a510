package dev.switchboard.internal.publish;

import dev.switchboard.EventEnvelope;
import dev.switchboard.instrumentation.PublishContext;
import java.util.Objects;

/**
 * One event about to be published, as observers see it; collects the extensions they set. Not thread-safe: used
 * on the publishing thread only.
 */
final class OutgoingEvent implements PublishContext {
    private final String system;
    private final String topic;
    private final EventEnvelope envelope;
    private EventEnvelope.Builder changed;

    OutgoingEvent(String system, String topic, EventEnvelope envelope) {
        this.system = system;
        this.topic = topic;
        this.envelope = envelope;
    }

    @Override
    public String system() {
        return system;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public EventEnvelope envelope() {
        return envelope;
    }

    @Override
    public void setExtension(String name, String value) {
        Objects.requireNonNull(value, "value of extension " + name);
        if (changed == null) {
            changed = envelope.toBuilder();
        }
        changed.extension(name, value);
    }

    /** The envelope with the extensions set, or the original if none was. */
    EventEnvelope toSend() {
        return changed == null ? envelope : changed.build();
    }
}
