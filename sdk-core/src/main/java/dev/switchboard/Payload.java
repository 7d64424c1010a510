package dev.switchboard;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of an event's payload: immutable, so an envelope, a wire message and every thread that reads
 * them can share one array without copying it.
 *
 * <pre>{@code
 * Payload text = Payload.of("{\"orderId\":\"o-42\"}");
 * Payload copied = Payload.copyOf(bytes);          // the caller may change bytes afterwards
 * byte[] mine = copied.toByteArray();              // a fresh copy
 * }</pre>
 *
 * <p>{@link #wrap(byte[])} takes an array without copying it, for bytes that were just produced and belong to
 * no one else (a codec's output, a body a broker client returned). {@link #sharedArray()} hands the array to a
 * native client that only reads it. Thread-safe.
 *
 * @since 0.1
 */
public final class Payload {
    /** The empty payload. */
    public static final Payload EMPTY = new Payload(new byte[0]);

    private final byte[] bytes;

    private Payload(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A payload holding a copy of {@code bytes}; null is the empty payload. */
    public static Payload copyOf(byte[] bytes) {
        return bytes == null || bytes.length == 0 ? EMPTY : new Payload(bytes.clone());
    }

    /**
     * A payload over {@code bytes}, without copying: the caller hands the array over and must never change it
     * afterwards. Null is the empty payload.
     */
    public static Payload wrap(byte[] bytes) {
        return bytes == null || bytes.length == 0 ? EMPTY : new Payload(bytes);
    }

    /** {@code text} as UTF-8. */
    public static Payload of(String text) {
        return wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The number of bytes. */
    public int size() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** A fresh copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The bytes as a read-only buffer, without copying. */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** The bytes decoded as UTF-8. */
    public String asString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The array itself, not a copy, for code that hands it to a client that only reads it (a broker driver's
     * native producer, a JSON parser). Writing to it breaks every envelope that shares it.
     */
    public byte[] sharedArray() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Payload other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The size only: payloads may hold personal data, which has no place in logs. */
    @Override
    public String toString() {
        return "Payload[" + bytes.length + " bytes]";
    }
}
