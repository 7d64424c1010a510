package dev.switchboard.benchmarks.jmh;


import dev.switchboard.EventEnvelope;
import dev.switchboard.PayloadCodec;
import dev.switchboard.Payload;
import dev.switchboard.internal.binding.CloudEventsBinding;
import dev.switchboard.spi.InboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Envelope encode + decode with a 1 KiB JSON payload, the way the core and the Kafka driver do it (binary mode:
 * {@code ce_} headers as UTF-8 bytes, {@code content-type} header): what Switchboard adds per event on each side of a
 * broker. Target: encode + decode ≤ 1 µs.
 *
 * <ul>
 *   <li>{@code encodeDecode}: payload object → codec (Jackson) → envelope (id, source, time filled in as the
 *       publisher does) → headers; then headers → {@code CloudEventsBinding.decode} → envelope → codec →
 *       payload object. The full per-event cost of the typed API.</li>
 *   <li>{@code envelopeOnly}: the same without the codec (payload bytes given): Switchboard's own cost.</li>
 *   <li>{@code codecOnly}: Jackson encode + decode of the payload alone: the cost a raw client using JSON pays
 *       too.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnvelopeCodecBenchmark {
    static final String PREFIX = "ce_";

    /** An order of about 1 KiB as JSON. */
    public record Line(String sku, String name, int quantity, long priceCents) {
    }

    public record Order(String orderId, String customerId, String currency, long totalCents, String placedAt,
                        List<Line> lines) {
    }

    private final PayloadCodec codec = PayloadCodec.json();
    private Order order;
    private byte[] json;

    @Setup
    public void setUp() throws Exception {
        List<Line> lines = new ArrayList<>();
        for (int i = 0; lines.size() < 100; i++) {
            lines.add(new Line("SKU-" + (100_000 + i), "Item number " + i + " of the order", 1 + i % 3, 1999L + i));
            order = new Order("o-4242-4242-4242", "c-777-777", "EUR", 123_456, "2026-11-26T08:00:00Z", List.copyOf(lines));
            json = codec.encode(order);
            if (json.length >= 1000) {
                break;
            }
        }
        if (json.length < 1000 || json.length > 1100) {
            throw new IllegalStateException("payload is " + json.length + " bytes, expected about 1 KiB");
        }
    }

    @Benchmark
    public Object encodeDecode() throws Exception {
        byte[] data = codec.encode(order);
        Wire wire = encode(data);
        EventEnvelope read = decode(wire);
        return codec.decode(read.data(), Order.class);
    }

    @Benchmark
    public Object envelopeOnly() {
        return decode(encode(json));
    }

    @Benchmark
    public Object codecOnly() throws Exception {
        return codec.decode(codec.encode(order), Order.class);
    }

    /** The record's headers and value as the Kafka driver writes them; read back as the driver hands them over. */
    record Wire(List<Map.Entry<String, byte[]>> headers, byte[] value) implements InboundMessage {
        @Override
        public void forEachHeader(BiConsumer<String, String> visitor) {
            for (Map.Entry<String, byte[]> header : headers) {
                if (header.getKey().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                    visitor.accept(header.getKey(), new String(header.getValue(), StandardCharsets.UTF_8));
                }
            }
        }

        @Override
        public String contentType() {
            for (Map.Entry<String, byte[]> header : headers) {
                if (header.getKey().equalsIgnoreCase("content-type")) {
                    return new String(header.getValue(), StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        @Override
        public Payload body() {
            return Payload.wrap(value);
        }

        @Override
        public String transportId() {
            return "orders-0@42";
        }

        @Override
        public int attempt() {
            return 1;
        }
    }

    /** As the publish path and the Kafka driver do it. */
    private static Wire encode(byte[] data) {
        EventEnvelope built = EventEnvelope.builder().type("com.shop.order.placed").dataContentType("application/json")
                .data(Payload.wrap(data)).build();
        // what the publisher fills in (PublishPipeline.prepare): source and time
        EventEnvelope envelope = built.toBuilder().source("/orders").time(OffsetDateTime.now(ZoneOffset.UTC)).build();
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>(10);
        var message = CloudEventsBinding.outbound(envelope);
        message.forEachAttribute(PREFIX, (name, value) -> headers.add(Map.entry(name, value.getBytes(StandardCharsets.UTF_8))));
        if (message.contentType() != null) {
            headers.add(Map.entry("content-type", message.contentType().getBytes(StandardCharsets.UTF_8)));
        }
        return new Wire(headers, message.body().sharedArray());
    }

    /** As the core decodes what the Kafka driver hands over. */
    private static EventEnvelope decode(Wire wire) {
        return CloudEventsBinding.decode(wire, PREFIX, "kafka:orders").envelope();
    }
}
