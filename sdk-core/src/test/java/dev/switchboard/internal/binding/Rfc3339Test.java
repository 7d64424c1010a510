package dev.switchboard.internal.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The hand-written codec must agree with {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} on everything. */
class Rfc3339Test {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    @Test
    void formatsAndParsesLikeTheJdkFormatterForRandomTimestamps() {
        SplittableRandom random = new SplittableRandom(42);
        int[] nanoShapes = {0, 100_000_000, 120_000_000, 123_000_000, 123_400_000, 123_456_000, 123_456_789, 1, 10};
        for (int i = 0; i < 20_000; i++) {
            int offsetMinutes = random.nextInt(4) == 0 ? 0 : random.nextInt(-18 * 60, 18 * 60 + 1);
            OffsetDateTime time = OffsetDateTime.of(random.nextInt(1, 10_000), random.nextInt(1, 13),
                    random.nextInt(1, 29), random.nextInt(24), random.nextInt(60), random.nextInt(60),
                    i % 2 == 0 ? nanoShapes[random.nextInt(nanoShapes.length)] : random.nextInt(1_000_000_000),
                    ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
            String expected = ISO.format(time);

            assertThat(Rfc3339.format(time)).isEqualTo(expected);
            assertThat(Rfc3339.parse(expected)).isEqualTo(OffsetDateTime.parse(expected, ISO));
        }
    }

    @Test
    void formatsExamples() {
        assertThat(Rfc3339.format(OffsetDateTime.of(2024, 5, 1, 12, 30, 0, 0, ZoneOffset.UTC)))
                .isEqualTo("2024-05-01T12:30:00Z");
        assertThat(Rfc3339.format(OffsetDateTime.of(2024, 5, 1, 12, 30, 15, 120_000_000, ZoneOffset.ofHoursMinutes(-5, -30))))
                .isEqualTo("2024-05-01T12:30:15.12-05:30");
        assertThat(Rfc3339.format(OffsetDateTime.of(2024, 5, 1, 12, 30, 15, 7, ZoneOffset.ofHours(2))))
                .isEqualTo("2024-05-01T12:30:15.000000007+02:00");
    }

    @Test
    void unusualValuesTakeTheJdkPathAndStillAgree() {
        OffsetDateTime bigYear = OffsetDateTime.of(12_345, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
        OffsetDateTime secondsOffset = OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofTotalSeconds(3_601));

        assertThat(Rfc3339.format(bigYear)).isEqualTo(ISO.format(bigYear));
        assertThat(Rfc3339.format(secondsOffset)).isEqualTo("2024-01-02T03:04:05+01:00:01");
        assertThat(Rfc3339.parse("+12345-01-02T03:04:05Z")).isEqualTo(bigYear);
        assertThat(Rfc3339.parse("2024-01-02T03:04Z")).isEqualTo(OffsetDateTime.parse("2024-01-02T03:04Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-05-01t12:30:15Z", "2024-05-01T12:30:15.5+14:00", "2024-12-31T23:59:59.999999999-18:00",
        "2024-05-01T12:30:15.Z"})
    void parsesWhatTheJdkParses(String text) {
        assertThat(Rfc3339.parse(text)).isEqualTo(OffsetDateTime.parse(text, ISO));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-05-01T24:00:00Z",
        "2024-05-01T12:30:15", "2024-05-01T12:30:15.1234567891Z", "2024-05-01T12:30:15+1:00",
        "2024-05-01T12:30:15+19:00", "2024-05-01T12:30:15Zjunk", "2024-05-01 12:30:15Z", "2024-05-01T12:30:60Z"})
    void rejectsWhatTheJdkRejects(String text) {
        assertThatThrownBy(() -> OffsetDateTime.parse(text, ISO)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Rfc3339.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
