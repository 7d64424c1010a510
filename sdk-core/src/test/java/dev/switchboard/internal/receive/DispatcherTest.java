package dev.switchboard.internal.receive;

import static dev.switchboard.internal.receive.TestMessage.event;
import static dev.switchboard.internal.receive.TestMessage.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.UnknownTypePolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Lanes, slices, decoding and handler outcomes; handlers run by hand, one task at a time where order matters. */
class DispatcherTest {
    @Test
    void aStoreThatCannotClaimMakesTheAttemptFailAndTheRetryHandlesTheEventOnceTheStoreIsBack() {
        Rig rig = new Rig(new TestSettings().deduplicate().noRedeliveryDelay());
        rig.deduplication.claimsFail = true;
        rig.dispatch(event("m1"));
        rig.workers.runAll();

        assertThat(rig.handled).isEmpty();
        assertThat(rig.counters.snapshot(0).retried()).isEqualTo(1);
        rig.deduplication.claimsFail = false;
        rig.scheduler.advance(java.time.Duration.ofMillis(250));
        rig.workers.runAll();
        assertThat(rig.handled).containsExactly("m1#2");
        assertThat(rig.counters.snapshot(0).duplicates()).isZero();
    }

    @Test
    void aMalformedMessageIsDeadLetteredAsMalformedWithoutRunningTheHandler() {
        Rig rig = new Rig(new TestSettings());

        rig.dispatch(TestMessage.malformed("m1"));
        rig.workers.runAll();

        assertThat(rig.handled).isEmpty();
        assertThat(rig.receiver.calls()).containsExactly("deadLetter m1 malformed", "ack m1");
        assertThat(rig.receiver.deadLetters().get(0).errorMessage()).contains("specversion \"0.3\"");
    }

    @Test
    void theSameKeyNeverRunsConcurrentlyWhileDifferentKeysDo() {
        Rig rig = new Rig(new TestSettings().perKey().window(4, 1));

        rig.dispatch(keyed("a1", "a"), keyed("a2", "a"), keyed("b1", "b"), keyed("a3", "a"));

        // a1 and b1 are handed to the workers together; a2 and a3 wait in their lane
        assertThat(rig.workers.queued()).isEqualTo(2);
        rig.workers.runNext();
        assertThat(rig.handled).containsExactly("a1#1");
        assertThat(rig.workers.queued()).as("b1, then a2 now that a1 is settled").isEqualTo(2);
        rig.workers.runAll();
        assertThat(rig.handled).containsExactly("a1#1", "b1#1", "a2#1", "a3#1");
        assertThat(rig.receiver.calls()).containsExactly("ack a1", "ack b1", "ack a2", "ack a3");
    }

    @Test
    void whereOnlyTheTransportKeyOrdersAPartitionKeyHeaderMakesNoLane() {
        Rig rig = new Rig(new TestSettings().perTransportKey().window(1, 4));

        rig.dispatch(TestMessage.transportKeyed("a1", "a"), TestMessage.transportKeyed("a2", "a"), keyed("h1", "a"),
                keyed("h2", "a"));

        // a2 waits behind a1 in lane a; h1 and h2 carry only the header, so they run unordered (one slice)
        assertThat(rig.workers.queued()).isEqualTo(2);
        rig.workers.runAll();
        assertThat(rig.handled).containsExactly("a1#1", "h1#1", "h2#1", "a2#1");
    }

    @Test
    void aKeyedRetryHoldsItsLaneUntilItSucceeds() {
        Rig rig = new Rig(new TestSettings().perKey(), context -> {
            if (context.envelope().id().equals("a1") && context.attempt() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
        });
        rig.dispatch(keyed("a1", "a"), keyed("a2", "a"), keyed("b1", "b"));
        rig.workers.runAll();

        assertThat(rig.handled).containsExactly("a1#1", "b1#1");
        assertThat(rig.receiver.calls()).containsExactly("ack b1");
        rig.scheduler.advance(Duration.ofMillis(250));
        rig.workers.runAll();

        assertThat(rig.handled).containsExactly("a1#1", "b1#1", "a1#2", "a2#1");
        assertThat(rig.receiver.calls()).containsExactly("ack b1", "ack a1", "ack a2");
    }

    @Test
    void unorderedDeliveriesRunInAtMostConcurrencySlices() {
        Rig rig = new Rig(new TestSettings().window(2, 4));

        rig.dispatch(event("m1"), event("m2"), event("m3"), event("m4"), event("m5"));

        assertThat(rig.workers.queued()).isEqualTo(2);
        rig.workers.runAll();
        assertThat(rig.handled).containsExactlyInAnyOrder("m1#1", "m2#1", "m3#1", "m4#1", "m5#1");
        assertThat(rig.counters.snapshot(rig.inFlight.size())).satisfies(stats -> {
            assertThat(stats.received()).isEqualTo(5);
            assertThat(stats.acknowledged()).isEqualTo(5);
            assertThat(stats.inFlight()).isZero();
        });
    }

    @Test
    void withPerKeyOrderingAnUnkeyedDeliveryRunsOutsideTheLanes() {
        Rig rig = new Rig(new TestSettings().perKey().window(1, 4));

        rig.dispatch(keyed("a1", "a"), event("u1"), keyed("a2", "a"));

        assertThat(rig.workers.queued()).isEqualTo(2);
        rig.workers.runAll();
        assertThat(rig.handled).containsExactly("a1#1", "u1#1", "a2#1");
    }

    @Test
    void shutdownRejectsBecomeNacks() {
        Rig rig = new Rig(new TestSettings().perKey().window(2, 2));
        rig.workers.shutdownNow();

        rig.dispatch(keyed("a1", "a"), event("u1"));

        assertThat(rig.handled).isEmpty();
        assertThat(rig.receiver.calls()).containsExactlyInAnyOrder("nack a1 0ms", "nack u1 0ms");
        assertThat(rig.freeSlots()).isEqualTo(4);
    }

    @Test
    void onceTheDrainHasBegunAQueuedDeliveryIsGivenBackInsteadOfRun() {
        Rig rig = new Rig(new TestSettings());
        rig.dispatch(event("m1"));

        rig.inFlight.startDraining();
        rig.workers.runAll();

        assertThat(rig.handled).isEmpty();
        assertThat(rig.receiver.calls()).containsExactly("nack m1 0ms");
    }

    @Test
    void aDuplicateIsAckedWithoutRunningTheHandler() {
        Rig rig = new Rig(new TestSettings().deduplicate());
        rig.deduplication.tryClaim("billing", "m1", Duration.ofHours(1));

        rig.dispatch(event("m1"), event("m2"));
        rig.workers.runAll();

        assertThat(rig.handled).containsExactly("m2#1");
        assertThat(rig.receiver.calls()).containsExactlyInAnyOrder("ack m1", "ack m2");
        assertThat(rig.counters.snapshot(0).duplicates()).isEqualTo(1);
    }

    @Test
    void anUnknownTypeIsSkippedAndAcked() {
        Rig rig = new Rig(new TestSettings());

        rig.dispatch(TestMessage.ofType("m1", "other", "{}"));
        rig.workers.runAll();

        assertThat(rig.receiver.calls()).containsExactly("ack m1");
        assertThat(rig.counters.snapshot(0).skippedUnknownType()).isEqualTo(1);
    }

    @Test
    void anUnknownTypeIsDeadLetteredWhereThePolicySaysSo() {
        Rig rig = new Rig(new TestSettings().unknownTypes(UnknownTypePolicy.DEAD_LETTER));

        rig.dispatch(TestMessage.ofType("m1", "other", "{}"));
        rig.workers.runAll();

        assertThat(rig.receiver.calls()).containsExactly("deadLetter m1 unknown-type", "ack m1");
    }

    @Test
    void aPayloadThatCannotBeDecodedIsDeadLetteredAsUndecodable() {
        Rig rig = new Rig(new TestSettings());

        rig.dispatch(TestMessage.ofType("m1", "json", "not json"),
                TestMessage.ofType("m2", "json", "{\"id\":\"o-1\",\"cents\":5}"));
        rig.workers.runAll();

        assertThat(rig.handled).containsExactly("m2#1");
        assertThat(rig.receiver.calls()).containsExactlyInAnyOrder("deadLetter m1 undecodable", "ack m1", "ack m2");
    }
}
