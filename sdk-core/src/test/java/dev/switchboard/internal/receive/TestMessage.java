package dev.switchboard.internal.receive;

import dev.switchboard.Payload;
import dev.switchboard.spi.InboundMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** A received message in CloudEvents binary mode with {@code ce_} headers; its event id is its transport id. */
final class TestMessage implements InboundMessage {
    private final String id;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Payload body;
    private final int attempt;
    private final String transportKey;

    private TestMessage(String id, String type, String key, String specVersion, String body, int attempt) {
        this(id, type, key, specVersion, body, attempt, null);
    }

    private TestMessage(String id, String type, String key, String specVersion, String body, int attempt,
                        String transportKey) {
        this.id = id;
        this.transportKey = transportKey;
        this.body = Payload.of(body);
        this.attempt = attempt;
        headers.put("ce_specversion", specVersion);
        headers.put("ce_id", id);
        headers.put("ce_source", "/test");
        headers.put("ce_type", type);
        if (key != null) {
            headers.put("ce_partitionkey", key);
        }
    }

    /** An event of type {@code t} with the text {@code body}, no key, first attempt. */
    static TestMessage event(String id) {
        return new TestMessage(id, "t", null, "1.0", "body of " + id, 1);
    }

    /** An event with partition key {@code key}. */
    static TestMessage keyed(String id, String key) {
        return new TestMessage(id, "t", key, "1.0", "body of " + id, 1);
    }

    /** An event whose key the transport carries (a Kafka record key), with no partition key header. */
    static TestMessage transportKeyed(String id, String key) {
        return new TestMessage(id, "t", null, "1.0", "body of " + id, 1, key);
    }

    /** An event of another type. */
    static TestMessage ofType(String id, String type, String body) {
        return new TestMessage(id, type, null, "1.0", body, 1);
    }

    /** An event whose spec version this reader does not implement. */
    static TestMessage malformed(String id) {
        return new TestMessage(id, "t", null, "0.3", "body of " + id, 1);
    }

    /** The same event with a CloudEvents extension, such as {@code correlationid}. */
    TestMessage with(String extension, String value) {
        headers.put("ce_" + extension, value);
        return this;
    }

    /** The same event as a redelivery, attempt {@code attempt} as the broker counts it. */
    TestMessage attempt(int attempt) {
        return new TestMessage(id, headers.get("ce_type"), headers.get("ce_partitionkey"),
                headers.get("ce_specversion"), body.asString(), attempt, transportKey);
    }

    @Override
    public void forEachHeader(BiConsumer<String, String> visitor) {
        headers.forEach(visitor);
    }

    @Override
    public String contentType() {
        return "text/plain";
    }

    @Override
    public Payload body() {
        return body;
    }

    @Override
    public String key() {
        return transportKey;
    }

    @Override
    public String transportId() {
        return id;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public String toString() {
        return id;
    }
}
