package dev.switchboard.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The 1 KiB JSON event of every harness run: {@code {"seq":NNNNNNNNNNNNNNNNNNNN,"ts":NNNNNNNNNNNNNNNNNNNN,"pad":"xxx…"}},
 * exactly {@value #SIZE} bytes, with fixed-width digits so that sequence and publish timestamp are written in
 * place and read back without parsing JSON. {@code ts} is {@link #now()}: nanoseconds since this JVM loaded the
 * class (publisher and consumer run in one JVM, so end-to-end latency is handler time minus {@code ts}).
 */
final class EventBytes {
    static final int SIZE = 1024;
    private static final long BASE = System.nanoTime();
    private static final String HEAD = "{\"seq\":";
    private static final int SEQ_AT = HEAD.length();
    private static final int DIGITS = 20;
    private static final String MID = ",\"ts\":";
    private static final int TS_AT = SEQ_AT + DIGITS + MID.length();
    private static final byte[] TEMPLATE;

    static {
        StringBuilder s = new StringBuilder(SIZE);
        s.append(HEAD).append("0".repeat(DIGITS)).append(MID).append("0".repeat(DIGITS)).append(",\"pad\":\"");
        int pad = SIZE - s.length() - 2;
        s.append("x".repeat(pad)).append("\"}");
        TEMPLATE = s.toString().getBytes(StandardCharsets.US_ASCII);
        if (TEMPLATE.length != SIZE) {
            throw new IllegalStateException("payload is " + TEMPLATE.length + " bytes");
        }
    }

    private EventBytes() {
    }

    static long now() {
        return System.nanoTime() - BASE;
    }

    /** A fresh 1 KiB payload for {@code seq}, stamped now. */
    static byte[] make(long seq) {
        byte[] b = Arrays.copyOf(TEMPLATE, SIZE);
        write(b, SEQ_AT, seq);
        write(b, TS_AT, now());
        return b;
    }

    static String makeText(long seq) {
        return new String(make(seq), StandardCharsets.US_ASCII);
    }

    private static void write(byte[] b, int at, long value) {
        for (int i = at + DIGITS - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    static long seq(byte[] b) {
        return read(b, SEQ_AT);
    }

    static long ts(byte[] b) {
        return read(b, TS_AT);
    }

    private static long read(byte[] b, int at) {
        long v = 0;
        for (int i = at; i < at + DIGITS; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    static long seq(ByteBuffer b) {
        return read(b, SEQ_AT);
    }

    static long ts(ByteBuffer b) {
        return read(b, TS_AT);
    }

    private static long read(ByteBuffer b, int at) {
        int base = b.position();
        long v = 0;
        for (int i = at; i < at + DIGITS; i++) {
            v = v * 10 + (b.get(base + i) - '0');
        }
        return v;
    }

    static long seq(String s) {
        return read(s, SEQ_AT);
    }

    static long ts(String s) {
        return read(s, TS_AT);
    }

    private static long read(String s, int at) {
        long v = 0;
        for (int i = at; i < at + DIGITS; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
