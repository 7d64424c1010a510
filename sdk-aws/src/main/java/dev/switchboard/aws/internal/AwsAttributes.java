package dev.switchboard.aws.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.CloudEventAttributes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The envelope within SNS/SQS's budget of 10 message attributes per message.
 *
 * <p>Real attributes, when not empty: {@code ce_specversion}, {@code ce_id}, {@code ce_type} (so that SNS
 * filter policies can select by type), {@code ce_source}, {@code ce_time}, {@code content-type},
 * {@code ce_subject}, {@code ce_traceparent} — at most 8. Everything else (every other extension, the
 * partition key, {@code dataschema}, and any attribute whose value is empty, which SNS does not accept) goes
 * into one attribute, {@code ce_more}, a JSON object of name to string: nothing is dropped. The body is the
 * payload as text when it is valid UTF-8 that SQS accepts; otherwise it is base64 and
 * {@code ce_dataencoding=base64} says so (an empty payload travels as {@code ce_dataencoding=empty}). That is
 * 10 attributes at most.
 */
final class AwsAttributes {
    static final String PREFIX = "ce_";
    static final String TYPE = PREFIX + "type";
    static final String CONTENT_TYPE = "content-type";
    static final String MORE = PREFIX + "more";
    static final String DATA_ENCODING = PREFIX + "dataencoding";
    private static final List<String> REAL = List.of("specversion", "id", "type", "source", "time", "subject", "traceparent");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private AwsAttributes() {
    }

    /** A message as SNS and SQS carry it: a text body and string attributes. */
    record WireMessage(String body, Map<String, String> attributes) {
        int size() {
            int size = body.getBytes(StandardCharsets.UTF_8).length;
            for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                size += attribute.getKey().length() + "String".length()
                        + attribute.getValue().getBytes(StandardCharsets.UTF_8).length;
            }
            return size;
        }
    }

    static WireMessage toWire(EventEnvelope envelope) {
        Map<String, String> headers = CloudEventAttributes.toHeaders(envelope, "");
        Map<String, String> attributes = new LinkedHashMap<>();
        Map<String, String> more = new TreeMap<>();
        headers.forEach((name, value) -> {
            if (REAL.contains(name) && !value.isEmpty()) {
                attributes.put(PREFIX + name, value);
            } else {
                more.put(name, value);
            }
        });
        envelope.dataContentType().ifPresent(type -> attributes.put(CONTENT_TYPE, type));
        if (!more.isEmpty()) {
            attributes.put(MORE, json(more));
        }
        byte[] data = envelope.data();
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

    static CloudEventAttributes.Read fromWire(WireMessage message, String fallbackId, String fallbackSource) {
        Map<String, String> headers = new LinkedHashMap<>();
        String contentType = null;
        String encoding = null;
        String malformedMore = null;
        for (Map.Entry<String, String> attribute : message.attributes().entrySet()) {
            switch (attribute.getKey()) {
                case CONTENT_TYPE -> contentType = attribute.getValue();
                case DATA_ENCODING -> encoding = attribute.getValue();
                case MORE -> {
                    try {
                        more(attribute.getValue()).forEach((k, v) -> headers.put(PREFIX + k, v));
                    } catch (JsonProcessingException e) {
                        malformedMore = MORE + " is not a JSON object of strings: " + e.getOriginalMessage();
                    }
                }
                default -> headers.put(attribute.getKey(), attribute.getValue());
            }
        }
        byte[] body = "empty".equals(encoding) ? new byte[0]
                : "base64".equals(encoding) ? Base64.getMimeDecoder().decode(message.body())
                : message.body().getBytes(StandardCharsets.UTF_8);
        CloudEventAttributes.Read read = CloudEventAttributes.fromMessage(headers, PREFIX, contentType, body, fallbackId,
                fallbackSource);
        if (malformedMore == null) {
            return read;
        }
        String reason = read.malformation().map(m -> m + "; ").orElse("") + malformedMore;
        return new CloudEventAttributes.Read(read.envelope(), Optional.of(reason));
    }

    /**
     * Whether {@link #partitionKeyInMore} finds the partition key that {@link #fromWire} would: true unless the
     * message is structured-mode or has a partition key attribute of its own (foreign messages).
     */
    static boolean partitionKeyOnlyInMore(Map<String, String> attributes) {
        String contentType = attributes.get(CONTENT_TYPE);
        if (contentType != null && contentType.startsWith(CloudEventAttributes.STRUCTURED_JSON)) {
            return false;
        }
        return attributes.keySet().stream().noneMatch(name -> name.equalsIgnoreCase(PREFIX + EventEnvelope.PARTITION_KEY));
    }

    /**
     * The partition key that Switchboard puts in {@code ce_more}, read without decoding the rest of the message;
     * empty without one (or when {@code ce_more} is malformed, which the full decode reports).
     */
    static Optional<String> partitionKeyInMore(Map<String, String> attributes) {
        String more = attributes.get(MORE);
        if (more == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(more(more).get(EventEnvelope.PARTITION_KEY));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> more(String json) throws JsonProcessingException {
        return JSON.readValue(json, STRING_MAP);
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
