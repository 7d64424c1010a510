package dev.switchboard.internal.binding;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Payload;
import dev.switchboard.spi.OutboundMessage;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/** An envelope in binary content mode, as drivers send it; a view, built per publish without copying. */
final class WireEvent implements OutboundMessage {
    private final EventEnvelope envelope;

    WireEvent(EventEnvelope envelope) {
        this.envelope = envelope;
    }

    @Override
    public String id() {
        return envelope.id();
    }

    @Override
    public String type() {
        return envelope.type();
    }

    @Override
    public long epochMillis() {
        return envelope.time() == null ? -1 : envelope.time().toInstant().toEpochMilli();
    }

    @Override
    public String key() {
        return envelope.partitionKey().orElse(null);
    }

    @Override
    public String contentType() {
        return envelope.dataContentType().orElse(null);
    }

    @Override
    public Payload body() {
        return envelope.payload();
    }

    @Override
    public void forEachAttribute(String prefix, BiConsumer<String, String> visitor) {
        HeaderNames names = HeaderNames.of(prefix);
        visitor.accept(names.specVersion, envelope.specVersion());
        visitor.accept(names.id, envelope.id());
        if (envelope.source() != null) {
            visitor.accept(names.source, envelope.source());
        }
        visitor.accept(names.type, envelope.type());
        if (envelope.time() != null) {
            visitor.accept(names.time, Rfc3339.format(envelope.time()));
        }
        // null checks rather than ifPresent and forEach: a capturing lambda each, on every publish
        String subject = envelope.subject().orElse(null);
        if (subject != null) {
            visitor.accept(names.subject, subject);
        }
        String dataSchema = envelope.dataSchema().orElse(null);
        if (dataSchema != null) {
            visitor.accept(names.dataSchema, dataSchema);
        }
        Map<String, String> extensions = envelope.extensions();
        if (!extensions.isEmpty()) {
            for (Map.Entry<String, String> extension : extensions.entrySet()) {
                visitor.accept(names.extension(extension.getKey()), extension.getValue());
            }
        }
    }

    @Override
    public long estimatedSize() {
        return EnvelopeSize.estimate(envelope);
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(envelope) ? Optional.of(type.cast(envelope)) : Optional.empty();
    }

    @Override
    public String toString() {
        return "WireEvent[" + envelope.id() + ", " + envelope.type() + "]";
    }
}
