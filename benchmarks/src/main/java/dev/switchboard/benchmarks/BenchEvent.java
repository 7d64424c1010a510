package dev.switchboard.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The typed event of the typed-path mode ({@code --typed}): what every side serialises with Jackson on publish
 * and deserialises in its handler. Its JSON, {@code {"seq":…,"ts":…,"pad":"…"}}, is about 1 KiB (the pad is
 * sized so that a 19-digit {@code seq} and {@code ts} give {@value EventBytes#SIZE} bytes); {@code ts} is
 * {@link EventBytes#now()} when the event was made, so latency is measured as on the pre-encoded path.
 */
record BenchEvent(long seq, long ts, String pad) {
    static final String PAD = "x".repeat(EventBytes.SIZE - "{\"seq\":,\"ts\":,\"pad\":\"\"}".length() - 2 * 19);

    static BenchEvent of(long seq) {
        return new BenchEvent(seq, EventBytes.now(), PAD);
    }

    /** A plain ObjectMapper, one per side (Switchboard's codec has its own). */
    static ObjectMapper mapper() {
        return new ObjectMapper();
    }
}
