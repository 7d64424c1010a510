package dev.switchboard.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.EventEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

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
        forEachHeader(envelope, prefix, headers::put);
        return headers;
    }

    /**
     * Passes each binary-mode header of {@code envelope} to {@code sink}, in the order of {@link #toHeaders},
     * without building a map: for drivers that write headers straight into their client's record.
     */
    public static void forEachHeader(EventEnvelope envelope, String prefix, BiConsumer<String, String> sink) {
        HeaderNames names = HeaderNames.of(prefix);
        sink.accept(names.specVersion, envelope.specVersion());
        sink.accept(names.id, envelope.id());
        if (envelope.source() != null) {
            sink.accept(names.source, envelope.source());
        }
        sink.accept(names.type, envelope.type());
        if (envelope.time() != null) {
            sink.accept(names.time, formatTime(envelope.time()));
        }
        envelope.subject().ifPresent(s -> sink.accept(names.subject, s));
        envelope.dataSchema().ifPresent(s -> sink.accept(names.dataSchema, s));
        envelope.extensions().forEach((name, value) -> sink.accept(names.extension(name), value));
    }

    /**
     * Reads a message into an envelope, never failing: what cannot be read faithfully is reported in
     * {@link Read#malformation()} and the envelope is built from what could be read.
     *
     * @param headers the transport headers (only those starting with {@code prefix} are CloudEvents attributes)
     * @param contentType the transport content type, or null
     * @param body the payload; the envelope takes the array without copying it
     * @param fallbackId an id for a message that carries none (a broker message id or offset), or null for a
     *     generated one
     * @param fallbackSource a source for a message that carries none (or an invalid one), such as
     *     {@code kafka:orders}; must be a valid URI reference
     */
    public static Read fromMessage(Map<String, String> headers, String prefix, String contentType, byte[] body,
                                   String fallbackId, String fallbackSource) {
        MessageReader reader = reader(prefix);
        headers.forEach(reader::header);
        return reader.read(contentType, body, () -> fallbackId, fallbackSource);
    }

    /**
     * A reader for one message, for drivers that pass headers one by one instead of building a map; the same
     * rules as {@link #fromMessage}.
     */
    public static MessageReader reader(String prefix) {
        return new MessageReader(HeaderNames.of(prefix));
    }

    /**
     * An RFC 3339 timestamp as {@link java.time.format.DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes it: seconds
     * always included (unlike {@code OffsetDateTime.toString()}), the fraction without trailing zeros.
     */
    public static String formatTime(OffsetDateTime time) {
        return Rfc3339.format(time);
    }

    /**
     * Reads a timestamp written by {@link #formatTime} or any other RFC 3339 / ISO-8601 offset date-time, as
     * {@code OffsetDateTime.parse} does, but without its cost for the common shape.
     *
     * @throws DateTimeParseException if {@code text} is not such a timestamp
     */
    public static OffsetDateTime parseTime(String text) {
        return Rfc3339.parse(text);
    }

    /** Reads a structured-mode JSON event; attributes come from the JSON object, not from headers. */
    static Read fromStructured(byte[] body, Supplier<String> fallbackId, String fallbackSource) {
        MessageReader reader = new MessageReader(HeaderNames.of(""));
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            List<String> problems = new ArrayList<>(List.of("structured-mode event is not a JSON object"));
            return reader.build(body, fallbackId, fallbackSource, problems);
        }
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
                default -> reader.attribute(field.getKey(), value.isTextual() ? value.asText() : value.toString());
            }
        }
        return reader.build(data, fallbackId, fallbackSource, problems);
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
