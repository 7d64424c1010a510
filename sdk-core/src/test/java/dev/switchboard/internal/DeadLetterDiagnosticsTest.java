package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.DeadLetter;
import dev.switchboard.EventEnvelope;
import dev.switchboard.internal.binding.CloudEventsBinding;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeadLetterDiagnosticsTest {
    private static final OffsetDateTime FIRST = OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime LAST = OffsetDateTime.of(2024, 5, 1, 10, 0, 3, 250_000_000, ZoneOffset.ofHours(2));

    private static EventEnvelope original() {
        return EventEnvelope.builder()
                .id("evt-1")
                .type("com.shop.order.placed")
                .source("/orders")
                .time(OffsetDateTime.of(2024, 5, 1, 9, 59, 59, 0, ZoneOffset.UTC))
                .subject("o-42")
                .dataContentType("application/json")
                .data("{\"id\":\"o-42\"}".getBytes(StandardCharsets.UTF_8))
                .partitionKey("o-42")
                .extension("tenant", "acme")
                .build();
    }

    @Test
    void attachAddsDiagnosticExtensionsAndKeepsTheRest() {
        EventEnvelope original = original();

        EventEnvelope deadLetter = DeadLetterDiagnostics.attach(original, "retries-exhausted",
                new IllegalStateException("stock service down"), "orders", "billing", 5, FIRST, LAST, "2@17");

        assertThat(deadLetter.id()).isEqualTo(original.id());
        assertThat(deadLetter.type()).isEqualTo(original.type());
        assertThat(deadLetter.data()).isEqualTo(original.data());
        assertThat(deadLetter.extension("tenant")).contains("acme");
        assertThat(deadLetter.extension(DeadLetter.REASON)).contains("retries-exhausted");
        assertThat(deadLetter.extension(DeadLetter.ERROR_TYPE)).contains("java.lang.IllegalStateException");
        assertThat(deadLetter.extension(DeadLetter.ERROR_MESSAGE)).contains("stock service down");
        assertThat(deadLetter.extension(DeadLetter.TOPIC)).contains("orders");
        assertThat(deadLetter.extension(DeadLetter.GROUP)).contains("billing");
        assertThat(deadLetter.extension(DeadLetter.ATTEMPTS)).contains("5");
        assertThat(deadLetter.extension(DeadLetter.POSITION)).contains("2@17");
        assertThat(deadLetter.extension(DeadLetter.ORIGINAL_SIZE)).isEmpty();
        assertThat(original.extensions()).doesNotContainKey(DeadLetter.REASON);
    }

    @Test
    void attachThenReadGivesBackOriginalAndAllDiagnostics() {
        EventEnvelope original = original();
        EventEnvelope deadLetter = DeadLetterDiagnostics.attach(original, "retries-exhausted",
                new IllegalStateException("stock service down"), "orders", "billing", 5, FIRST, LAST, "2@17");

        DeadLetter read = DeadLetterDiagnostics.read(deadLetter, "fallback-topic", "fallback-group");

        assertThat(read.envelope()).isEqualTo(original);
        assertThat(read.envelope().extensions()).isEqualTo(original.extensions());
        assertThat(read.reason()).isEqualTo("retries-exhausted");
        assertThat(read.errorType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(read.errorMessage()).isEqualTo("stock service down");
        assertThat(read.topic()).isEqualTo("orders");
        assertThat(read.group()).isEqualTo("billing");
        assertThat(read.attempts()).isEqualTo(5);
        assertThat(read.firstFailure()).isEqualTo(FIRST);
        assertThat(read.lastFailure()).isEqualTo(LAST);
        assertThat(read.error()).contains("java.lang.IllegalStateException: stock service down");
    }

    @Test
    void longMessagesAreTruncated() {
        String longMessage = "x".repeat(5000);

        EventEnvelope deadLetter = DeadLetterDiagnostics.attach(original(), "retries-exhausted",
                new RuntimeException(longMessage), "orders", "billing", 1, FIRST, LAST, "2@17");
        DeadLetter read = DeadLetterDiagnostics.read(deadLetter, "t", "g");

        assertThat(read.errorMessage()).hasSize(2001).startsWith("x".repeat(2000)).endsWith("…");
    }

    @Test
    void messageAtTheLimitIsKeptWhole() {
        String message = "y".repeat(2000);

        EventEnvelope deadLetter = DeadLetterDiagnostics.attach(original(), "rejected",
                new RuntimeException(message), "orders", "billing", 1, FIRST, LAST, "2@17");

        assertThat(deadLetter.extension(DeadLetter.ERROR_MESSAGE)).contains(message);
    }

    @Test
    void missingErrorGivesEmptyTypeAndMessage() {
        EventEnvelope deadLetter = DeadLetterDiagnostics.attach(original(), "malformed", null, "orders", "billing",
                1, FIRST, FIRST, "2@17");

        DeadLetter read = DeadLetterDiagnostics.read(deadLetter, "t", "g");

        assertThat(read.errorType()).isEmpty();
        assertThat(read.errorMessage()).isEmpty();
        assertThat(read.error()).isEmpty();
        assertThat(read.reason()).isEqualTo("malformed");
    }

    @Test
    void errorWithoutMessageGivesEmptyMessage() {
        EventEnvelope deadLetter = DeadLetterDiagnostics.attach(original(), "rejected", new NullPointerException(),
                "orders", "billing", 2, FIRST, LAST, "2@17");

        DeadLetter read = DeadLetterDiagnostics.read(deadLetter, "t", "g");

        assertThat(read.errorType()).isEqualTo("java.lang.NullPointerException");
        assertThat(read.errorMessage()).isEmpty();
    }

    @Test
    void envelopeWithoutDiagnosticsReadsWithFallbacks() {
        EventEnvelope plain = original();

        DeadLetter read = DeadLetterDiagnostics.read(plain, "orders.billing.dlq", "billing");

        assertThat(read.envelope()).isEqualTo(plain);
        assertThat(read.reason()).isEqualTo("unknown");
        assertThat(read.topic()).isEqualTo("orders.billing.dlq");
        assertThat(read.group()).isEqualTo("billing");
        assertThat(read.attempts()).isZero();
        assertThat(read.firstFailure()).isNull();
        assertThat(read.lastFailure()).isNull();
    }

    @Test
    void garbledDiagnosticsReadLeniently() {
        EventEnvelope garbled = original().toBuilder()
                .extension(DeadLetter.ATTEMPTS, "many")
                .extension(DeadLetter.FIRST_FAILURE, "yesterday")
                .build();

        DeadLetter read = DeadLetterDiagnostics.read(garbled, "t", "g");

        assertThat(read.attempts()).isZero();
        assertThat(read.firstFailure()).isNull();
        assertThat(read.envelope()).isEqualTo(original());
    }

    @Test
    void reDeadLetteringReplacesDiagnostics() {
        EventEnvelope once = DeadLetterDiagnostics.attach(original(), "rejected", new RuntimeException("first"),
                "orders", "billing", 1, FIRST, FIRST, "2@17");

        EventEnvelope twice = DeadLetterDiagnostics.attach(once, "retries-exhausted", new RuntimeException("second"),
                "orders", "billing", 3, FIRST, LAST, "2@17");
        DeadLetter read = DeadLetterDiagnostics.read(twice, "t", "g");

        assertThat(read.reason()).isEqualTo("retries-exhausted");
        assertThat(read.errorMessage()).isEqualTo("second");
        assertThat(read.attempts()).isEqualTo(3);
        assertThat(read.envelope()).isEqualTo(original());
    }

    @Test
    void fitCutsOnlyThePayloadOfADeadLetterTooLargeAndRecordsItsOriginalSizeOnce() {
        EventEnvelope big = original().toBuilder().data("z".repeat(10_000)).build();
        EventEnvelope deadLetter = DeadLetterDiagnostics.attach(big, "undecodable", new IllegalArgumentException("bad"),
                "orders", "billing", 1, FIRST, LAST, "0@9");

        EventEnvelope fitted = DeadLetterDiagnostics.fit(deadLetter, 2_000);
        EventEnvelope emptied = DeadLetterDiagnostics.cut(fitted, 0);
        DeadLetter read = DeadLetterDiagnostics.read(emptied, "t", "g");

        assertThat(DeadLetterDiagnostics.fit(deadLetter, 20_000)).isSameAs(deadLetter);
        assertThat(CloudEventsBinding.outbound(fitted).estimatedSize()).isLessThanOrEqualTo(2_000);
        assertThat(fitted.payload().size()).isPositive();
        assertThat(fitted.extension(DeadLetter.ORIGINAL_SIZE)).contains("10000");
        assertThat(read.isCut()).isTrue();
        assertThat(read.originalSize()).isEqualTo(10_000);
        assertThat(read.position()).isEqualTo("0@9");
        assertThat(read.envelope().payload().isEmpty()).isTrue();
        assertThat(read.envelope().extensions()).doesNotContainKey(DeadLetter.ORIGINAL_SIZE);
        assertThat(read.reason()).isEqualTo("undecodable");
    }
}
