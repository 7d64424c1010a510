package dev.switchboard.internal.binding;

import dev.switchboard.EventEnvelope;
import java.util.Map;

/**
 * The size of an envelope on the wire, estimated as payload bytes plus the characters of every attribute
 * name and value: close enough to stop an oversize event before the broker does, cheap enough for every
 * publish.
 */
final class EnvelopeSize {
    /** Headers' framing and the CloudEvents attribute names, roughly, per attribute. */
    private static final int PER_ATTRIBUTE = 16;

    private EnvelopeSize() {
    }

    static long estimate(EventEnvelope envelope) {
        long size = envelope.dataLength() + 6L * PER_ATTRIBUTE;
        size += length(envelope.id()) + length(envelope.source()) + length(envelope.type())
                + length(envelope.subject().orElse(null)) + length(envelope.dataSchema().orElse(null))
                + length(envelope.dataContentType().orElse(null)) + 40;
        if (!envelope.extensions().isEmpty()) {
            for (Map.Entry<String, String> extension : envelope.extensions().entrySet()) {
                size += PER_ATTRIBUTE + extension.getKey().length() + extension.getValue().length();
            }
        }
        return size;
    }

    private static int length(String value) {
        return value == null ? 0 : value.length();
    }
}
