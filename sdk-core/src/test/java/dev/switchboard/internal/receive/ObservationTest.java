package dev.switchboard.internal.receive;

import static dev.switchboard.internal.receive.TestMessage.event;
import static dev.switchboard.internal.receive.TestMessage.malformed;
import static dev.switchboard.internal.receive.TestMessage.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.RetryPolicy;
import dev.switchboard.UnknownTypePolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** What observers are told of each delivery, and what the MDC holds while a handler runs; driven by hand. */
class ObservationTest {
    private static final Duration BACKOFF = Duration.ofMillis(250);

    @Test
    void aHandledDeliveryIsOneObservedCallWithItsScopeAroundTheHandlerThenAcked() {
        Rig rig = new Rig(new TestSettings(), context -> { });

        rig.dispatch(event("m1"));
        rig.workers.runAll();

        assertThat(rig.observed.lines).containsExactly("start m1#1", "scope m1", "scope closed m1", "end m1 ok",
                "settled m1 ACKED");
    }

    @Test
    void aRetriedThenDeadLetteredEventIsOneObservedCallPerAttemptEachWithItsOutcome() {
        Rig rig = new Rig(new TestSettings().noRedeliveryDelay().retry(RetryPolicy.fixed(2, BACKOFF)), context -> {
            throw new IllegalStateException("down");
        });

        rig.dispatch(event("m1"));
        rig.workers.runAll();
        rig.scheduler.advance(BACKOFF);
        rig.workers.runAll();

        assertThat(rig.observed.lines).containsExactly(
                "start m1#1", "scope m1", "scope closed m1", "end m1 IllegalStateException", "settled m1 RETRY_SCHEDULED 250ms",
                "start m1#2", "scope m1", "scope closed m1", "end m1 IllegalStateException",
                "settled m1 DEAD_LETTERED retries-exhausted");
    }

    @Test
    void aRetryTheBrokerHoldsEndsTheCallWithItsDelay() {
        Rig rig = new Rig(new TestSettings(), context -> {
            throw new IllegalStateException("down");
        });

        rig.dispatch(event("m1"));
        rig.workers.runAll();

        assertThat(rig.observed.lines).endsWith("settled m1 RETRY_SCHEDULED 250ms");
        assertThat(rig.receiver.calls()).containsExactly("nack m1 250ms");
    }

    @Test
    void deliveriesSettledWithoutAHandlerAreToldApart() {
        Rig rig = new Rig(new TestSettings().deduplicate());
        rig.dispatch(event("m1"), event("m1").attempt(2), ofType("m2", "unknown", "x"), malformed("m3"));
        rig.workers.runAll();

        assertThat(rig.observed.lines).contains("unhandled m1 DUPLICATE", "unhandled m2 SKIPPED",
                "unhandled m3 DEAD_LETTERED malformed");
        assertThat(rig.observed.lines).filteredOn(line -> line.startsWith("start")).containsExactly("start m1#1");
    }

    @Test
    void anUnknownTypeUnderTheDeadLetterPolicyIsDeadLetteredUnhandled() {
        Rig rig = new Rig(new TestSettings().unknownTypes(UnknownTypePolicy.DEAD_LETTER));
        rig.dispatch(ofType("m2", "unknown", "x"));
        rig.workers.runAll();

        assertThat(rig.observed.lines).containsExactly("unhandled m2 DEAD_LETTERED unknown-type");
    }

    @Test
    void anUndecodablePayloadEndsItsObservedCallAsDeadLetteredWithoutAHandlerCall() {
        Rig rig = new Rig(new TestSettings());
        rig.dispatch(ofType("m1", "json", "not json"));
        rig.workers.runAll();

        assertThat(rig.observed.lines).containsExactly("start m1#1", "settled m1 DEAD_LETTERED undecodable");
        assertThat(rig.handled).isEmpty();
    }

    @Test
    void aDeliveryGivenBackByTheDrainIsReturned() {
        Rig rig = new Rig(new TestSettings());
        rig.dispatch(event("m1"));
        rig.inFlight.startDraining();
        rig.workers.runAll();

        assertThat(rig.observed.lines).containsExactly("unhandled m1 RETURNED");
        assertThat(rig.receiver.calls()).containsExactly("nack m1 0ms");
    }

    @Test
    void aDeliveryTheDrainGivesBackWhileItsHandlerRunsIsReportedOnceAsReturned() {
        Rig rig = new Rig(new TestSettings().noRedeliveryDelay());
        InFlightDelivery d = rig.admit(event("m1"), null);
        // its handler has started observing when the drain gives the delivery back (the shutdown timeout passed)
        d.observe(rig.observed.processStarted(d));
        rig.settlement.giveBack(d);
        // then the handler fails: a local retry would be scheduled, but the delivery's outcome is told already
        rig.settlement.failed(d, new IllegalStateException("late"));

        assertThat(rig.receiver.calls()).containsExactly("nack m1 0ms");
        assertThat(rig.observed.lines).containsExactly("start m1#1", "settled m1 RETURNED");
    }

    @Test
    void aHandlerCallThatStartsObservingAfterItsDeliveryWasSettledIsEndedAtOnceAsReturned() {
        Rig rig = new Rig(new TestSettings());
        InFlightDelivery d = rig.admit(event("m1"), null);
        rig.settlement.giveBack(d);
        RecordingObserver late = new RecordingObserver();

        assertThat(d.observe(late.processStarted(d))).isNull();
        assertThat(late.lines).containsExactly("start m1#1", "settled m1 RETURNED");
        assertThat(rig.observed.lines).containsExactly("unhandled m1 RETURNED");
    }

    @Test
    void theMdcHoldsTheEventWhileItsHandlerRunsAndNothingAfter() {
        Map<String, String> seen = new HashMap<>();
        Rig rig = new Rig(new TestSettings(), context -> seen.putAll(MDC.getCopyOfContextMap()));

        rig.dispatch(event("m1").with("correlationid", "order-42"));
        rig.workers.runAll();

        assertThat(seen).containsEntry("eventId", "m1").containsEntry("eventType", "t")
                .containsEntry("eventTopic", "orders").containsEntry("eventGroup", "billing")
                .containsEntry("eventAttempt", "1").containsEntry("correlationId", "order-42");
        Map<String, String> after = MDC.getCopyOfContextMap();
        assertThat(after == null ? Map.of() : after).doesNotContainKeys("eventId", "eventType", "eventTopic",
                "eventGroup", "eventAttempt", "correlationId");
    }

    @Test
    void theMdcCanBeTurnedOff() {
        Map<String, String> seen = new HashMap<>();
        Rig rig = new Rig(new TestSettings().noMdc(), context -> {
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            seen.putAll(mdc == null ? Map.of() : mdc);
        });

        rig.dispatch(event("m1"));
        rig.workers.runAll();

        assertThat(rig.handled).containsExactly("m1#1");
        assertThat(seen).doesNotContainKey("eventId");
    }
}
