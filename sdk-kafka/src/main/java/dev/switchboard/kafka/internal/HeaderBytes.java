package dev.switchboard.kafka.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Header values as UTF-8 bytes, with the values that repeat from record to record encoded once: a publisher sends
 * the same {@code ce_specversion}, {@code ce_source}, {@code ce_type} and {@code content-type} on record after
 * record, so each of those names remembers its last value and that value's bytes, and a record with the same value
 * shares them. Every other header (the id, the time, extensions) is encoded as it comes. The shared arrays are
 * never written to: the producer copies header values into its batch, and nothing else sees them.
 *
 * <p>Thread-safe: each remembered pair is one immutable object, replaced whole.
 */
final class HeaderBytes {
    private final AtomicReferenceArray<Encoded> last = new AtomicReferenceArray<>(RepeatingHeaders.SLOTS);

    /** The UTF-8 bytes of {@code value}, shared with earlier records when {@code name} repeats its last value. */
    byte[] of(String name, String value) {
        int slot = RepeatingHeaders.slotOf(name);
        if (slot < 0) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        Encoded encoded = last.get(slot);
        if (encoded != null && (encoded.text == value || encoded.text.equals(value))) {
            return encoded.bytes;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        last.set(slot, new Encoded(value, bytes));
        return bytes;
    }

    private record Encoded(String text, byte[] bytes) {
    }
}
