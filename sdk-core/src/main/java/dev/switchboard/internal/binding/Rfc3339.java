package dev.switchboard.internal.binding;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 timestamps for the {@code time} attribute, written and read by hand because every event carries one
 * and {@link DateTimeFormatter} costs microseconds per call. Only the common shape takes the fast path —
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm)} with a four-digit year — everything else goes to
 * {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}, so both paths accept and produce exactly what the formatter
 * does. Stateless and thread-safe.
 */
final class Rfc3339 {
    private static final int SHORTEST = "2000-01-01T00:00:00Z".length();
    /** The last second formatted; racing threads may each replace it, which only costs a format. */
    private static volatile SecondsText lastSecond;

    private Rfc3339() {
    }

    /** As {@code ISO_OFFSET_DATE_TIME.format(time)}: seconds always, the fraction without trailing zeros. */
    static String format(OffsetDateTime time) {
        int year = time.getYear();
        int offsetSeconds = time.getOffset().getTotalSeconds();
        if (year < 0 || year > 9999 || offsetSeconds % 60 != 0) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
        }
        String seconds = secondsText(time, offsetSeconds);
        int nanos = time.getNano();
        if (nanos == 0 && offsetSeconds == 0) {
            return seconds + 'Z';
        }
        StringBuilder out = new StringBuilder(seconds.length() + 16).append(seconds);
        if (nanos != 0) {
            appendFraction(out, nanos);
        }
        if (offsetSeconds == 0) {
            return out.append('Z').toString();
        }
        int minutes = Math.abs(offsetSeconds) / 60;
        out.append(offsetSeconds < 0 ? '-' : '+');
        twoDigits(out, minutes / 60).append(':');
        return twoDigits(out, minutes % 60).toString();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss}, reused while events keep falling in the same second. */
    private static String secondsText(OffsetDateTime time, int offsetSeconds) {
        long epochSecond = time.toEpochSecond();
        SecondsText cached = lastSecond;
        if (cached != null && cached.epochSecond == epochSecond && cached.offsetSeconds == offsetSeconds) {
            return cached.text;
        }
        StringBuilder out = new StringBuilder(19);
        int year = time.getYear();
        twoDigits(twoDigits(out, year / 100), year % 100).append('-');
        twoDigits(out, time.getMonthValue()).append('-');
        twoDigits(out, time.getDayOfMonth()).append('T');
        twoDigits(out, time.getHour()).append(':');
        twoDigits(out, time.getMinute()).append(':');
        String text = twoDigits(out, time.getSecond()).toString();
        lastSecond = new SecondsText(epochSecond, offsetSeconds, text);
        return text;
    }

    /** {@code .} and 1–9 digits of {@code nanos} (not 0), without trailing zeros. */
    private static void appendFraction(StringBuilder out, int nanos) {
        char[] digits = new char[10];
        digits[0] = '.';
        int end = 0;
        for (int i = 9; i >= 1; i--, nanos /= 10) {
            int digit = nanos % 10;
            digits[i] = (char) ('0' + digit);
            if (end == 0 && digit != 0) {
                end = i + 1;
            }
        }
        out.append(digits, 0, end);
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /**
     * As {@code OffsetDateTime.parse(text)}.
     *
     * @throws DateTimeParseException if the text is not an ISO-8601 offset date-time
     */
    static OffsetDateTime parse(CharSequence text) {
        OffsetDateTime fast = parseCommonShape(text);
        return fast != null ? fast : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** The timestamp if it has the common shape and valid fields, else null (the caller takes the slow path). */
    private static OffsetDateTime parseCommonShape(CharSequence s) {
        int length = s.length();
        if (length < SHORTEST || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) | 0x20) != 't'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        int second = number(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (s.charAt(at) == '.') {
            int start = ++at;
            while (at < length && at - start < 9 && isDigit(s.charAt(at))) {
                nanos = nanos * 10 + (s.charAt(at++) - '0');
            }
            if (at == start || (at < length && isDigit(s.charAt(at)))) {
                return null;
            }
            for (int scale = at - start; scale < 9; scale++) {
                nanos *= 10;
            }
        }
        ZoneOffset offset = offset(s, at);
        if (offset == null) {
            return null;
        }
        try {
            return OffsetDateTime.of(LocalDateTime.of(year, month, day, hour, minute, second, nanos), offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneOffset offset(CharSequence s, int at) {
        int remaining = s.length() - at;
        if (remaining == 1 && (s.charAt(at) | 0x20) == 'z') {
            return ZoneOffset.UTC;
        }
        char sign = remaining == 6 ? s.charAt(at) : 0;
        if ((sign != '+' && sign != '-') || s.charAt(at + 3) != ':') {
            return null;
        }
        int hours = number(s, at + 1, 2);
        int minutes = number(s, at + 4, 2);
        if ((hours | minutes) < 0 || hours > 18 || minutes > 59) {
            return null;
        }
        int total = (hours * 60 + minutes) * 60;
        try {
            return ZoneOffset.ofTotalSeconds(sign == '-' ? -total : total);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number of {@code width} digits at {@code at}, or -1 if any is not a digit. */
    private static int number(CharSequence s, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private record SecondsText(long epochSecond, int offsetSeconds, String text) {
    }
}
