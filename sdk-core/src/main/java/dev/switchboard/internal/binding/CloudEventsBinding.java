package dev.switchboard.internal.binding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Payload;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.OutboundMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The CloudEvents 1.0 protocol binding, written once for every broker: envelopes to wire messages (binary
 * content mode: each attribute a prefixed header, {@code datacontenttype} as the transport's content type,
 * {@code partitionkey} also as the transport key) and received messages back to envelopes — binary mode,
 * structured mode ({@value #STRUCTURED_JSON}) and foreign messages alike, leniently: what cannot be read
 * faithfully is reported as a malformation (the runtime dead-letters it), never thrown.
 *
 * <p>Drivers keep only their transport's mapping (the header prefix, AMQP properties, SQS's attribute
 * budget, Kafka's record key). Stateless and thread-safe.
 */
public final class CloudEventsBinding {
    /** Media type of structured-mode JSON events. */
    public static final String STRUCTURED_JSON = "application/cloudevents+json";
    /** The {@code type} given to a message that carried none (a foreign producer's). */
    public static final String FOREIGN_TYPE = "dev.switchboard.foreign";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudEventsBinding() {
    }

    /** The wire form of {@code envelope}; nothing is copied or encoded until a driver asks. */
    public static OutboundMessage outbound(EventEnvelope envelope) {
        return new WireEvent(envelope);
    }

    /**
     * Reads a received message into an envelope, never failing.
     *
     * @param prefix the driver's attribute prefix
     * @param fallbackSource the source of a message that carries none (or an invalid one), such as
     *     {@code kafka:orders}; a valid URI reference
     */
    public static Read decode(InboundMessage message, String prefix, String fallbackSource) {
        Optional<EventEnvelope> carried = message.unwrap(EventEnvelope.class);
        if (carried.isPresent()) {
            return new Read(carried.get(), Optional.empty());
        }
        String contentType = message.contentType();
        Read read;
        if (isStructured(contentType)) {
            read = fromStructured(message.body(), message::transportId, fallbackSource);
        } else {
            MessageReader reader = new MessageReader(HeaderNames.of(prefix));
            message.forEachHeader(reader::header);
            read = reader.read(contentType, message.body(), message::transportId, fallbackSource, message.eventTime());
        }
        String key = message.key();
        if (key != null && read.envelope().partitionKey().isEmpty()) {
            // the transport's key is the ordering key of foreign and structured-mode messages too
            read = new Read(read.envelope().toBuilder().partitionKey(key).build(), read.malformation());
        }
        return read;
    }

    /**
     * The ordering key of a received message without decoding it: the transport's key, else the
     * {@code partitionkey} header (matched as the decoder does), else — for structured mode only — the decoded
     * envelope's. Null without one.
     */
    public static String partitionKey(InboundMessage message, String prefix) {
        String key = message.key();
        if (key != null) {
            return key;
        }
        Optional<EventEnvelope> carried = message.unwrap(EventEnvelope.class);
        if (carried.isPresent()) {
            return carried.get().partitionKey().orElse(null);
        }
        if (isStructured(message.contentType())) {
            return decode(message, prefix, "/").envelope().partitionKey().orElse(null);
        }
        HeaderNames names = HeaderNames.of(prefix);
        String[] found = new String[1];
        message.forEachHeader((name, value) -> {
            if (names.isPartitionKey(name)) {
                found[0] = value;
            }
        });
        return found[0];
    }

    /** An RFC 3339 timestamp, seconds always, the fraction without trailing zeros. */
    public static String formatTime(OffsetDateTime time) {
        return Rfc3339.format(time);
    }

    /**
     * Reads any RFC 3339 / ISO-8601 offset date-time, as {@code OffsetDateTime.parse} does.
     *
     * @throws DateTimeParseException if {@code text} is not such a timestamp
     */
    public static OffsetDateTime parseTime(String text) {
        return Rfc3339.parse(text);
    }

    private static boolean isStructured(String contentType) {
        return contentType != null && contentType.startsWith(STRUCTURED_JSON);
    }

    /** Reads a structured-mode JSON event; attributes come from the JSON object, not from headers. */
    static Read fromStructured(Payload body, Supplier<String> fallbackId, String fallbackSource) {
        MessageReader reader = new MessageReader(HeaderNames.of(""));
        JsonNode root;
        try {
            root = JSON.readTree(body.sharedArray());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            List<String> problems = new ArrayList<>(List.of("structured-mode event is not a JSON object"));
            return reader.build(body, fallbackId, fallbackSource, problems);
        }
        List<String> problems = new ArrayList<>();
        Payload data = Payload.EMPTY;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "data" -> data = Payload.wrap(value.isTextual()
                        ? value.asText().getBytes(StandardCharsets.UTF_8)
                        : value.toString().getBytes(StandardCharsets.UTF_8));
                case "data_base64" -> {
                    try {
                        data = Payload.wrap(Base64.getDecoder().decode(value.asText()));
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
     * @param malformation what could not be read, if anything; the runtime dead-letters such deliveries
     */
    public record Read(EventEnvelope envelope, Optional<String> malformation) {
    }
}
