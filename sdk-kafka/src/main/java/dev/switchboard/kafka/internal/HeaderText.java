package dev.switchboard.kafka.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Header values as text, with the values that repeat from record to record decoded once: a producer writes the
 * same {@code ce_specversion}, {@code ce_source}, {@code ce_type} and {@code content-type} on record after record,
 * so each of those names remembers its last value's bytes and text, and a record whose bytes are equal gets the
 * same {@code String} (no decoding, no allocation, its hash already computed for the look-ups that follow). Every
 * other header (the id, the time, extensions) is decoded as it comes.
 *
 * <p>One instance per thread ({@link #forThisThread()}): not thread-safe, never shared.
 */
final class HeaderText {
    private static final ThreadLocal<HeaderText> PER_THREAD = ThreadLocal.withInitial(HeaderText::new);

    private final byte[][] lastBytes = new byte[RepeatingHeaders.SLOTS][];
    private final String[] lastText = new String[RepeatingHeaders.SLOTS];

    private HeaderText() {
    }

    static HeaderText forThisThread() {
        return PER_THREAD.get();
    }

    /** {@code value} (null is the empty string) as UTF-8 text; remembered when {@code name} is a repeating one. */
    String of(String name, byte[] value) {
        if (value == null) {
            return "";
        }
        int slot = RepeatingHeaders.slotOf(name);
        if (slot < 0) {
            return new String(value, StandardCharsets.UTF_8);
        }
        if (Arrays.equals(lastBytes[slot], value)) {
            return lastText[slot];
        }
        String text = new String(value, StandardCharsets.UTF_8);
        lastBytes[slot] = value.clone(); // the record's array is the consumer's: never kept
        lastText[slot] = text;
        return text;
    }
}
