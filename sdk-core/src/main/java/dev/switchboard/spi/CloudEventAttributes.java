package dev.switchboard.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.EventEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Maps envelopes to and from the header maps of CloudEvents protocol bindings (binary content mode), and
 * reads structured mode ({@code application/cloudevents+json}). Shared by every driver so that they read
 * foreign and malformed messages the same forgiving way.
 *
 * <p>Binary mode: each context attribute and extension becomes a header {@code <prefix><name>} (Kafka uses
 * {@code ce_}); {@code datacontenttype} travels as the transport's own content type, not as a prefixed
 * header. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class CloudEventAttributes {
    /** Media type of structured-mode JSON events. */
    public static final String STRUCTURED_JSON = "application/cloudevents+json";
    /** The {@code type} given to a message that carried none (a foreign producer's). */
    public static final String FOREIGN_TYPE = "dev.switchboard.foreign";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudEventAttributes() {
    }

    /**
     * The headers for {@code envelope} in binary mode, without {@code datacontenttype} (the caller writes
     * it as the transport's content type).
     */
    public static Map<String, String> toHeaders(EventEnvelope envelope, String prefix) {
        Map<String, String> headers = new LinkedHashMap<>(8 + envelope.extensions().size());
        headers.put(prefix + "specversion", envelope.specVersion());
        headers.put(prefix + "id", envelope.id());
        if (envelope.source() != null) {
            headers.put(prefix + "source", envelope.source());
        }
        headers.put(prefix + "type", envelope.type());
        if (envelope.time() != null) {
            headers.put(prefix + "time", formatTime(envelope.time()));
        }
        envelope.subject().ifPresent(s -> headers.put(prefix + "subject", s));
        envelope.dataSchema().ifPresent(s -> headers.put(prefix + "dataschema", s));
        envelope.extensions().forEach((name, value) -> headers.put(prefix + name, value));
        return headers;
    }

    /**
     * Reads a message into an envelope, never failing: what cannot be read faithfully is reported in
     * {@link Read#malformation()} and the envelope is built from what could be read.
     *
     * @param headers the transport headers (only those starting with {@code prefix} are CloudEvents attributes)
     * @param contentType the transport content type, or null
     * @param body the payload
     * @param fallbackId an id for a message that carries none (a broker message id or offset), or null for a
     *     random one
     * @param fallbackSource a source for a message that carries none (or an invalid one), such as
     *     {@code kafka:orders}; must be a valid URI reference
     */
    public static Read fromMessage(Map<String, String> headers, String prefix, String contentType, byte[] body,
                                   String fallbackId, String fallbackSource) {
        Objects.requireNonNull(fallbackSource, "fallbackSource");
        if (contentType != null && contentType.startsWith(STRUCTURED_JSON)) {
            return fromStructured(body, fallbackId, fallbackSource);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (name.length() > prefix.length() && name.regionMatches(true, 0, prefix, 0, prefix.length())) {
                // header names are case-insensitive on most transports; attribute names are lower case
                attributes.put(name.substring(prefix.length()).toLowerCase(Locale.ROOT), value);
            }
        });
        if (contentType != null) {
            attributes.put("datacontenttype", contentType);
        }
        return build(attributes, body, fallbackId, fallbackSource, new ArrayList<>());
    }

    /** An RFC 3339 timestamp, seconds always included (unlike {@code OffsetDateTime.toString()}). */
    public static String formatTime(OffsetDateTime time) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    }

    private static Read fromStructured(byte[] body, String fallbackId, String fallbackSource) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            List<String> problems = new ArrayList<>(List.of("structured-mode event is not a JSON object"));
            return build(new LinkedHashMap<>(), body, fallbackId, fallbackSource, problems);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        byte[] data = new byte[0];
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "data" -> data = value.isTextual()
                        ? value.asText().getBytes(StandardCharsets.UTF_8)
                        : value.toString().getBytes(StandardCharsets.UTF_8);
                case "data_base64" -> {
                    try {
                        data = Base64.getDecoder().decode(value.asText());
                    } catch (IllegalArgumentException e) {
                        problems.add("data_base64 is not base64: " + e.getMessage());
                    }
                }
                default -> attributes.put(field.getKey(), value.isTextual() ? value.asText() : value.toString());
            }
        }
        return build(attributes, data, fallbackId, fallbackSource, problems);
    }

    private static Read build(Map<String, String> attributes, byte[] body, String fallbackId, String fallbackSource,
                              List<String> problems) {
        EventEnvelope.Builder b = EventEnvelope.builder().data(body);
        b.id(orElse(attributes.remove("id"), fallbackId != null ? fallbackId : UUID.randomUUID().toString()));
        b.type(orElse(attributes.remove("type"), FOREIGN_TYPE));
        String source = attributes.remove("source");
        try {
            b.source(orElse(source, fallbackSource));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            b.source(fallbackSource);
        }
        String specVersion = attributes.remove("specversion");
        if (specVersion != null && !specVersion.isBlank()) {
            b.specVersion(specVersion);
        }
        String time = attributes.remove("time");
        if (time != null) {
            try {
                b.time(OffsetDateTime.parse(time));
            } catch (DateTimeParseException e) {
                problems.add("time is not an RFC 3339 timestamp, was \"" + time + "\"");
            }
        }
        b.subject(attributes.remove("subject"));
        b.dataContentType(attributes.remove("datacontenttype"));
        String schema = attributes.remove("dataschema");
        try {
            b.dataSchema(schema);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        attributes.forEach((name, value) -> {
            try {
                b.extension(name, value);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        });
        return new Read(b.build(), problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)));
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * The result of reading a message.
     *
     * @param envelope the envelope, as faithful as the message allowed
     * @param malformation what could not be read, if anything; the core dead-letters such deliveries
     */
    public record Read(EventEnvelope envelope, Optional<String> malformation) {
    }
}
