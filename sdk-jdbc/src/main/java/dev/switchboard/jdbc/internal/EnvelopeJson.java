package dev.switchboard.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Payload;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An envelope's attributes as the flat JSON object of the outbox's {@code attributes} column: every CloudEvents
 * context attribute it has, and its extensions beside them (as in CloudEvents' JSON format, without the data).
 * Stateless; thread-safe.
 */
public final class EnvelopeJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EnvelopeJson() {
    }

    /** The attributes of {@code envelope} as JSON. */
    public static String attributes(EventEnvelope envelope) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("id", envelope.id());
        attributes.put("source", envelope.source());
        attributes.put("specversion", envelope.specVersion());
        attributes.put("type", envelope.type());
        attributes.put("time", envelope.time() == null ? null : envelope.time().toString());
        attributes.put("subject", envelope.subject().orElse(null));
        attributes.put("datacontenttype", envelope.dataContentType().orElse(null));
        attributes.put("dataschema", envelope.dataSchema().orElse(null));
        attributes.values().removeIf(value -> value == null);
        attributes.putAll(envelope.extensions());
        try {
            return MAPPER.writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the attributes of event " + envelope.id() + " as JSON", e);
        }
    }

    /**
     * The envelope of a row: its attributes and its data.
     *
     * @throws RuntimeException (such as {@link IllegalArgumentException}) if the attributes are not such a JSON
     *     object or make no valid envelope
     */
    public static EventEnvelope envelope(String attributes, byte[] data) {
        Map<String, String> values;
        try {
            values = MAPPER.readValue(attributes, MAPPER.getTypeFactory().constructMapType(Map.class, String.class,
                    String.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the attributes are not a JSON object of strings: "
                    + e.getOriginalMessage(), e);
        }
        EventEnvelope.Builder builder = EventEnvelope.builder().data(Payload.wrap(data));
        for (Map.Entry<String, String> attribute : values.entrySet()) {
            String value = attribute.getValue();
            switch (attribute.getKey()) {
                case "id" -> builder.id(value);
                case "source" -> builder.source(value);
                case "specversion" -> builder.specVersion(value);
                case "type" -> builder.type(value);
                case "time" -> builder.time(OffsetDateTime.parse(value));
                case "subject" -> builder.subject(value);
                case "datacontenttype" -> builder.dataContentType(value);
                case "dataschema" -> builder.dataSchema(value);
                default -> builder.extension(attribute.getKey(), value);
            }
        }
        return builder.build();
    }
}
