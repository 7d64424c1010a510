package dev.switchboard.aws.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Payload;
import dev.switchboard.spi.OutboundMessage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SNS/SQS transport mapping: a wire message within SNS/SQS's budget of 10 message attributes per message.
 *
 * <p>Real attributes, when not empty: {@code ce_specversion}, {@code ce_id}, {@code ce_type} (so that SNS
 * filter policies can select by type), {@code ce_source}, {@code ce_time}, {@code content-type},
 * {@code ce_subject}, {@code ce_traceparent} — at most 8. Every other attribute (the other extensions, the
 * partition key, {@code dataschema}, and any attribute whose value is empty, which SNS does not accept) goes
 * into one attribute, {@code ce_more}, a JSON object of name (without prefix) to string: nothing is dropped.
 * The body is the payload as text when it is valid UTF-8 that SQS accepts; otherwise it is base64 and
 * {@code ce_dataencoding=base64} says so (an empty payload travels as {@code ce_dataencoding=empty}). That is
 * 10 attributes at most. FIFO topics and queues get the partition key (else the id) as message group and the
 * id as deduplication id. Stateless and thread-safe.
 */
final class AwsAttributes {
    static final String PREFIX = "ce_";
    static final String TYPE = PREFIX + "type";
    static final String CONTENT_TYPE = "content-type";
    static final String MORE = PREFIX + "more";
    static final String DATA_ENCODING = PREFIX + "dataencoding";
    private static final Set<String> REAL = Set.of(PREFIX + "specversion", PREFIX + "id", TYPE, PREFIX + "source",
            PREFIX + "time", PREFIX + "subject", PREFIX + "traceparent");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private AwsAttributes() {
    }

    /** A message as SNS and SQS carry it: a text body and string attributes. */
    record WireMessage(String body, Map<String, String> attributes) {
        /** Bytes as SNS counts them against its limit: body, attribute names, data types and values. */
        int size() {
            int size = body.getBytes(StandardCharsets.UTF_8).length;
            for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                size += attribute.getKey().length() + "String".length()
                        + attribute.getValue().getBytes(StandardCharsets.UTF_8).length;
            }
            return size;
        }
    }

    static WireMessage write(OutboundMessage message) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Map<String, String> more = new TreeMap<>();
        message.forEachAttribute(PREFIX, (name, value) -> {
            if (REAL.contains(name) && !value.isEmpty()) {
                attributes.put(name, value);
            } else {
                more.put(name.substring(PREFIX.length()), value);
            }
        });
        if (message.contentType() != null) {
            attributes.put(CONTENT_TYPE, message.contentType());
        }
        if (!more.isEmpty()) {
            attributes.put(MORE, json(more));
        }
        byte[] data = message.body().sharedArray();
        String body;
        if (data.length == 0) {
            body = "-";
            attributes.put(DATA_ENCODING, "empty");
        } else if (isSqsText(data)) {
            body = new String(data, StandardCharsets.UTF_8);
        } else {
            body = Base64.getEncoder().encodeToString(data);
            attributes.put(DATA_ENCODING, "base64");
        }
        return new WireMessage(body, attributes);
    }

    /**
     * The attributes packed in a {@code ce_more} value, by name without prefix. A value that is not a JSON
     * object of strings is no packing of ours: it stays what it says, the extension {@code more}.
     */
    static Map<String, String> unpackMore(String json) {
        Map<String, String> packed;
        try {
            packed = JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            packed = null;
        }
        return packed != null ? packed : Map.of(MORE.substring(PREFIX.length()), json);
    }

    /** The payload of a body written by {@link #write}, given its {@code ce_dataencoding} (or null). */
    static Payload readBody(String body, String encoding) {
        if ("empty".equals(encoding)) {
            return Payload.EMPTY;
        }
        if ("base64".equals(encoding)) {
            try {
                return Payload.wrap(Base64.getMimeDecoder().decode(body));
            } catch (IllegalArgumentException notBase64) {
                // a foreign producer's mislabelled body: hand it over as it came
            }
        }
        return Payload.of(body);
    }

    /** The FIFO message group: the partition key, so that one key is one ordered group; else the id. */
    static String groupId(OutboundMessage message) {
        return fifoToken(message.key() != null ? message.key() : message.id());
    }

    /** The FIFO deduplication id: the event id. */
    static String deduplicationId(OutboundMessage message) {
        return fifoToken(message.id());
    }

    /** FIFO ids are at most 128 characters of letters, digits and punctuation; anything else is hashed. */
    private static String fifoToken(String value) {
        return value.length() <= 128 && value.chars().allMatch(c -> c > 32 && c < 127) ? value
                : HexFormat.of().formatHex(AwsNames.sha256(value));
    }

    /** Whether SQS accepts the bytes as a message body: valid UTF-8 of the characters its XML allows. */
    static boolean isSqsText(byte[] data) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        return text.codePoints().allMatch(c -> c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF));
    }

    private static String json(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }
}
