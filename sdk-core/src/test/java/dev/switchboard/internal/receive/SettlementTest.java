package dev.switchboard.internal.receive;

import static dev.switchboard.internal.receive.TestMessage.event;
import static dev.switchboard.internal.receive.TestMessage.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.DeadLetter;
import dev.switchboard.RejectException;
import dev.switchboard.RetryAfterException;
import dev.switchboard.RetryPolicy;
import dev.switchboard.spi.Batching;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Outcome to ack, nack or dead letter, under the retry policy; driven by hand, observed through the receiver. */
class SettlementTest {
    private static final Duration BACKOFF = Duration.ofMillis(250);

    @Test
    void aHandledDeliveryIsAckedAndGivesItsSlotBack() {
        Rig rig = new Rig(new TestSettings().window(1, 2));
        InFlightDelivery d = rig.admit(event("m1"), null);

        rig.settlement.ack(d);

        assertThat(rig.receiver.calls()).containsExactly("ack m1");
        assertThat(rig.freeSlots()).isEqualTo(2);
        assertThat(rig.counters.snapshot(rig.inFlight.size()).acknowledged()).isEqualTo(1);
    }

    @Test
    void aDeliveryIsSettledOnlyOnce() {
        Rig rig = new Rig(new TestSettings());
        InFlightDelivery d = rig.admit(event("m1"), null);

        rig.settlement.giveBack(d);
        rig.settlement.ack(d);
        rig.settlement.deadLetter(d, "rejected", new RejectException("late"));

        assertThat(rig.receiver.calls()).containsExactly("nack m1 0ms");
        assertThat(rig.freeSlots()).isEqualTo(4);
    }

    @Test
    void anUnkeyedFailureIsNackedWithTheBackoffWhereTheBrokerHoldsIt() {
        Rig rig = new Rig(new TestSettings());
        InFlightDelivery d = rig.admit(event("m1"), null);

        rig.settlement.failed(d, new IllegalStateException("down"));

        assertThat(rig.receiver.calls()).containsExactly("nack m1 250ms");
        assertThat(rig.scheduler.waiting()).isEmpty();
        assertThat(rig.freeSlots()).isEqualTo(4);
    }

    @Test
    void withoutRedeliveryDelayARetryWaitsHereHoldingItsSlotAndRunsTheHandlerWithTheNextAttempt() {
        Rig rig = new Rig(new TestSettings().window(1, 1).noRedeliveryDelay(), context -> {
            if (context.attempt() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
        });
        rig.dispatch(event("m1"));
        rig.workers.runAll();

        assertThat(rig.scheduler.waiting()).containsExactly(BACKOFF);
        assertThat(rig.freeSlots()).isZero();
        rig.scheduler.advance(BACKOFF.minusMillis(1));
        assertThat(rig.workers.queued()).isZero();
        rig.scheduler.advance(Duration.ofMillis(1));
        rig.workers.runAll();

        assertThat(rig.handled).containsExactly("m1#1", "m1#2");
        assertThat(rig.receiver.calls()).containsExactly("ack m1");
        assertThat(rig.freeSlots()).isEqualTo(1);
    }

    @Test
    void aKeyedFailureIsRetriedHereEvenWhereTheBrokerCouldHoldIt() {
        Rig rig = new Rig(new TestSettings().perKey());
        InFlightDelivery d = rig.admit(keyed("m1", "k"), "k");

        rig.settlement.failed(d, new IllegalStateException("down"));

        assertThat(rig.receiver.calls()).isEmpty();
        assertThat(rig.scheduler.waiting()).containsExactly(BACKOFF);
        assertThat(d.attempt()).isEqualTo(2);
        assertThat(rig.freeSlots()).isEqualTo(3);
    }

    @Test
    void theDeduplicationClaimIsReleasedWhenAnUnkeyedDeliveryIsGivenBackForRetry() {
        Rig rig = new Rig(new TestSettings().deduplicate(), context -> {
            throw new IllegalStateException("fails");
        });
        rig.dispatch(event("m1"));
        rig.workers.runAll();

        assertThat(rig.receiver.calls()).containsExactly("nack m1 250ms");
        assertThat(rig.deduplication.tryClaim("billing", "m1", Duration.ofHours(1))).isTrue();
    }

    @Test
    void aClaimTheStoreCannotReleaseStaysWithTheDeliveryWhichIsRetriedHereAndHandled() {
        Rig rig = new Rig(new TestSettings().deduplicate(), context -> {
            if (context.attempt() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
        });
        rig.deduplication.releasesFail = true;
        rig.dispatch(event("m1"));
        rig.workers.runAll();

        // not given back to the broker: its redelivery would find the claim and be acked unhandled
        assertThat(rig.receiver.calls()).isEmpty();
        rig.scheduler.advance(BACKOFF);
        rig.workers.runAll();
        assertThat(rig.handled).containsExactly("m1#1", "m1#2");
        assertThat(rig.receiver.calls()).containsExactly("ack m1");
        assertThat(rig.counters.snapshot(0).duplicates()).isZero();
    }

    @Test
    void aLocalRetryKeepsItsDeduplicationClaimAndIsNotTakenForADuplicate() {
        Rig rig = new Rig(new TestSettings().deduplicate().noRedeliveryDelay(), context -> {
            if (context.attempt() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
        });
        rig.dispatch(event("m1"));
        rig.workers.runAll();

        assertThat(rig.deduplication.tryClaim("billing", "m1", Duration.ofHours(1))).isFalse();
        rig.scheduler.advance(BACKOFF);
        rig.workers.runAll();
        assertThat(rig.handled).containsExactly("m1#1", "m1#2");
        assertThat(rig.counters.snapshot(0).duplicates()).isZero();
    }

    @Test
    void aDeliveryTheDrainGivesBackReleasesItsDeduplicationClaim() {
        Rig rig = new Rig(new TestSettings().deduplicate().perKey(), context -> {
            throw new IllegalStateException("fails, to wait for a local retry");
        });
        rig.dispatch(keyed("m1", "k"));
        rig.workers.runAll();

        rig.inFlight.startDraining();
        rig.inFlight.forEach(rig.settlement::cancelLocalRetry);

        assertThat(rig.receiver.calls()).containsExactly("nack m1 0ms");
        assertThat(rig.deduplication.tryClaim("billing", "m1", Duration.ofHours(1))).isTrue();
    }

    @Test
    void aFailedDeadLetterWriteReleasesTheDeduplicationClaimSoThatTheRedeliveryIsNotSkipped() {
        Rig rig = new Rig(new TestSettings().deduplicate(), context -> {
            throw new RejectException("never valid");
        });
        rig.receiver.failDeadLetterWrites(1);
        rig.dispatch(event("m1"));
        rig.workers.runAll();

        rig.dispatch(event("m1").attempt(2));
        rig.workers.runAll();

        assertThat(rig.handled).containsExactly("m1#1", "m1#2");
        assertThat(rig.receiver.calls()).containsExactly("deadLetter failed m1", "nack m1 250ms",
                "deadLetter m1 rejected", "ack m1");
        assertThat(rig.counters.snapshot(0).duplicates()).isZero();
    }

    @Test
    void aDeliveryPastTheLastAttemptTheBrokerCountedIsDeadLetteredWithoutCallingTheHandler() {
        Rig rig = new Rig(new TestSettings().retry(RetryPolicy.fixed(3, BACKOFF)), context -> { });
        rig.dispatch(event("m1").attempt(4));
        rig.workers.runAll();

        assertThat(rig.handled).isEmpty();
        assertThat(rig.receiver.calls()).containsExactly("deadLetter m1 retries-exhausted", "ack m1");
        assertThat(rig.receiver.deadLetters().get(0).attempts()).isEqualTo(4);
        assertThat(rig.receiver.deadLetters().get(0).errorMessage()).startsWith("3 attempt(s) ended with no outcome");
    }

    @Test
    void whereTheBrokerCountsDeliveriesADeliveryPastTheLastAttemptIsStillHandled() {
        // a broker's delivery count also counts prefetched messages given back unhandled (a consumer that closed)
        Rig rig = new Rig(new TestSettings().brokerCountsDeliveries().retry(RetryPolicy.fixed(3, BACKOFF)), context -> { });
        rig.dispatch(event("m1").attempt(7));
        rig.workers.runAll();

        assertThat(rig.handled).containsExactly("m1#7");
        assertThat(rig.receiver.calls()).containsExactly("ack m1");
    }

    @Test
    void theLastAttemptTheBrokerCountedStillRunsTheHandler() {
        Rig rig = new Rig(new TestSettings().retry(RetryPolicy.fixed(3, BACKOFF)), context -> { });
        rig.dispatch(event("m1").attempt(3));
        rig.workers.runAll();

        assertThat(rig.handled).containsExactly("m1#3");
        assertThat(rig.receiver.calls()).containsExactly("ack m1");
    }

    @Test
    void aRejectIsDeadLetteredAtOnce() {
        Rig rig = new Rig(new TestSettings().retry(RetryPolicy.fixed(5, BACKOFF)), context -> {
            throw new RejectException("never valid");
        });
        rig.dispatch(event("m1"));
        rig.workers.runAll();

        assertThat(rig.receiver.calls()).containsExactly("deadLetter m1 rejected", "ack m1");
        assertThat(rig.handled).containsExactly("m1#1");
        assertThat(rig.scheduler.waiting()).isEmpty();
        assertThat(rig.receiver.deadLetters().get(0).attempts()).isEqualTo(1);
    }

    @Test
    void theLastAttemptIsDeadLetteredWithItsDiagnosticsBeforeTheAck() {
        Rig rig = new Rig(new TestSettings().noRedeliveryDelay(), context -> {
            throw new IllegalStateException("still down");
        });
        rig.dispatch(event("m1"));
        rig.workers.runAll();
        rig.scheduler.advance(BACKOFF);
        rig.workers.runAll();
        rig.scheduler.advance(BACKOFF);
        rig.workers.runAll();

        assertThat(rig.handled).containsExactly("m1#1", "m1#2", "m1#3");
        assertThat(rig.receiver.calls()).containsExactly("deadLetter m1 retries-exhausted", "ack m1");
        DeadLetter deadLetter = rig.receiver.deadLetters().get(0);
        assertThat(deadLetter.envelope().id()).isEqualTo("m1");
        assertThat(deadLetter.attempts()).isEqualTo(3);
        assertThat(deadLetter.errorType()).isEqualTo(IllegalStateException.class.getName());
        assertThat(deadLetter.errorMessage()).isEqualTo("still down");
        assertThat(deadLetter.topic()).isEqualTo("orders");
        assertThat(deadLetter.group()).isEqualTo("billing");
        assertThat(deadLetter.firstFailure()).isEqualTo(ManualScheduler.START);
        assertThat(deadLetter.lastFailure()).isEqualTo(ManualScheduler.START.plus(BACKOFF.multipliedBy(2)));
        assertThat(rig.counters.snapshot(0).deadLettered()).isEqualTo(1);
        assertThat(rig.counters.snapshot(0).retried()).isEqualTo(2);
    }

    @Test
    void aFailureThePolicyDoesNotRetryIsDeadLetteredAsNotRetryable() {
        RetryPolicy policy = RetryPolicy.fixed(3, BACKOFF).retryIf(e -> !(e instanceof IllegalArgumentException));
        Rig rig = new Rig(new TestSettings().retry(policy));
        InFlightDelivery d = rig.admit(event("m1"), null);

        rig.settlement.failed(d, new IllegalArgumentException("bad input"));

        assertThat(rig.receiver.calls()).containsExactly("deadLetter m1 not-retryable", "ack m1");
    }

    @Test
    void aRetryAfterWaitsItsOwnDelayCappedAtTheBrokersLimit() {
        Rig rig = new Rig(new TestSettings().maxRedeliveryDelay(Duration.ofMinutes(1)));
        InFlightDelivery asked = rig.admit(event("m1"), null);
        InFlightDelivery capped = rig.admit(event("m2"), null);

        rig.settlement.failed(asked, new RetryAfterException(Duration.ofSeconds(7), "busy"));
        rig.settlement.failed(capped, new RetryAfterException(Duration.ofMinutes(10), "very busy"));

        assertThat(rig.receiver.calls()).containsExactly("nack m1 7000ms", "nack m2 60000ms");
    }

    @Test
    void aDeadLetterLargerThanItsDestinationTakesIsWrittenWithItsPayloadCutAndTheCutRecorded() {
        Rig rig = new Rig(new TestSettings().maxDeadLetterBytes(1200));
        TestMessage big = TestMessage.ofType("m1", "t", "x".repeat(5000));
        InFlightDelivery d = rig.admit(big, null);

        rig.settlement.deadLetter(d, "undecodable", new IllegalArgumentException("not JSON"));

        assertThat(rig.receiver.calls()).containsExactly("deadLetter m1 undecodable", "ack m1");
        DeadLetter written = rig.receiver.deadLetters().get(0);
        assertThat(written.isCut()).isTrue();
        assertThat(written.originalSize()).isEqualTo(5000);
        assertThat(written.position()).isEqualTo("m1");
        assertThat(written.envelope().payload().size()).isPositive().isLessThan(1200);
        assertThat(written.envelope().payload().asString()).isEqualTo("x".repeat(written.envelope().payload().size()));
        assertThat(written.errorMessage()).isEqualTo("not JSON");
    }

    @Test
    void aDeadLetterTheBrokerRefusesAsTooLargeIsWrittenAgainAtOnceWithoutItsPayload() {
        Rig rig = new Rig(new TestSettings());
        rig.receiver.refuseDeadLettersOver(100);
        InFlightDelivery d = rig.admit(TestMessage.ofType("m1", "t", "y".repeat(500)), null);

        rig.settlement.deadLetter(d, "rejected", new RejectException("never valid"));
        rig.retries.runAll();

        assertThat(rig.receiver.calls()).containsExactly("deadLetter refused m1", "deadLetter m1 rejected", "ack m1");
        DeadLetter written = rig.receiver.deadLetters().get(0);
        assertThat(written.originalSize()).isEqualTo(500);
        assertThat(written.envelope().payload().isEmpty()).isTrue();
        assertThat(rig.freeSlots()).isEqualTo(4);
    }

    @Test
    void aDeadLetterThatFitsIsWrittenWholeWithItsPosition() {
        Rig rig = new Rig(new TestSettings());
        InFlightDelivery d = rig.admit(event("m1"), null);

        rig.settlement.deadLetter(d, "rejected", new RejectException("never valid"));

        DeadLetter written = rig.receiver.deadLetters().get(0);
        assertThat(written.isCut()).isFalse();
        assertThat(written.originalSize()).isEqualTo(-1);
        assertThat(written.position()).isEqualTo("m1");
        assertThat(written.envelope().payload().asString()).isEqualTo("body of m1");
    }

    @Test
    void aFailedDeadLetterWriteIsNackedWithTheBackoffWhereTheBrokerHoldsIt() {
        Rig rig = new Rig(new TestSettings());
        rig.receiver.failDeadLetterWrites(1);
        InFlightDelivery d = rig.admit(event("m1"), null);

        rig.settlement.deadLetter(d, "rejected", new RejectException("never valid"));

        assertThat(rig.receiver.calls()).containsExactly("deadLetter failed m1", "nack m1 250ms");
        assertThat(rig.scheduler.waiting()).isEmpty();
        assertThat(rig.freeSlots()).isEqualTo(4);
    }

    @Test
    void withoutRedeliveryDelayAFailedDeadLetterWriteIsWrittenAgainHereAfterTheBackoff() {
        Rig rig = new Rig(new TestSettings().noRedeliveryDelay());
        rig.receiver.failDeadLetterWrites(1);
        InFlightDelivery d = rig.admit(event("m1"), null);

        rig.settlement.deadLetter(d, "rejected", new RejectException("never valid"));
        assertThat(rig.scheduler.waiting()).containsExactly(BACKOFF);
        assertThat(rig.freeSlots()).isEqualTo(3);
        rig.scheduler.advance(BACKOFF);
        assertThat(rig.receiver.calls()).as("not on the scheduler's thread").containsExactly("deadLetter failed m1");
        rig.retries.runAll();

        assertThat(rig.receiver.calls()).containsExactly("deadLetter failed m1", "deadLetter m1 rejected", "ack m1");
        assertThat(rig.freeSlots()).isEqualTo(4);
    }

    @Test
    void aLocalRetryTheSchedulerRejectsBecomesANack() {
        Rig rig = new Rig(new TestSettings().perKey());
        rig.scheduler.shutDown();
        InFlightDelivery d = rig.admit(keyed("m1", "k"), "k");

        rig.settlement.failed(d, new IllegalStateException("down"));

        assertThat(rig.receiver.calls()).containsExactly("nack m1 0ms");
        assertThat(rig.freeSlots()).isEqualTo(4);
    }

    @Test
    void acksGoOutInBatchesUnderTheReceiversSettlementBatching() {
        Rig rig = new Rig(new TestSettings().window(2, 4),
                new ScriptedReceiver().settlementBatching(new Batching(3, 1)).holdAcks(), context -> { });
        InFlightDelivery[] deliveries = new InFlightDelivery[5];
        for (int i = 0; i < deliveries.length; i++) {
            deliveries[i] = rig.admit(event("m" + (i + 1)), null);
        }
        // the first ack goes at once; the rest wait for the call slot and leave together, at most three a call
        for (InFlightDelivery d : deliveries) {
            rig.settlement.ack(d);
        }

        rig.receiver.completeHeldAcks();

        assertThat(rig.receiver.calls()).containsExactly("ack m1", "acks completed", "ack m2 m3 m4", "ack m5");
    }
}
