package dev.switchboard.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.DeadLetter;
import dev.switchboard.DeadLetters;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.RejectException;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import dev.switchboard.spi.Capability;
import dev.switchboard.testkit.tck.TckEvents.OrderPlaced;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Retries and dead letters: a failing event is tried as the policy says, then parked with its diagnostics,
 * gone from its topic, and can be replayed.
 *
 * @since 0.1
 */
public abstract class RetryAndDeadLetterTests extends TckSupport {
    private static final RetryPolicy THREE_ATTEMPTS = RetryPolicy.fixed(3, Duration.ofMillis(50));

    @Test
    @Rule(id = "DL-01", check = "ReceiverDriver.deadLetter sends the message with all its attributes and completes"
            + " only once the broker confirmed; nack redelivers with attempt + 1")
    void exhaustedRetriesDeadLetterTheEventOnceWithDiagnostics() {
        Messaging messaging = open();
        String topic = topic("exhausted");
        String group = group("exhausted");
        Inbox<EventEnvelope> attempts = new Inbox<>();
        messaging.subscribe(Subscription.to(topic).group(group).retry(THREE_ATTEMPTS).onEnvelope((e, ctx) -> {
            attempts.add(ctx.envelope());
            throw new IllegalStateException("TCK: always failing");
        }));
        EventEnvelope sent = messaging.publisher().envelope(new OrderPlaced("o-dl", 42))
                .id(id("doomed")).extension("tenant", "acme").correlationId("corr-dl").build();
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(2);

        send(messaging, topic, sent);

        List<DeadLetter> deadLetters = awaitDeadLetters(messaging, topic, group, 1);
        assertDuringQuietPeriod(() -> attempts.size() == 3, () -> attempts.size() + " attempts");
        List<DeadLetter> later = messaging.deadLetters(topic, group).list(10, Duration.ofMillis(500));
        assertEquals(1, later.size(), () -> "exactly one dead letter, was " + later);
        DeadLetter dl = deadLetters.get(0);
        assertEquals("retries-exhausted", dl.reason());
        assertEquals(IllegalStateException.class.getName(), dl.errorType());
        assertEquals("TCK: always failing", dl.errorMessage());
        assertEquals(topic, dl.topic());
        assertEquals(group, dl.group());
        assertEquals(3, dl.attempts());
        assertNotNull(dl.firstFailure(), "firstFailure");
        assertNotNull(dl.lastFailure(), "lastFailure");
        assertTrue(dl.firstFailure().isAfter(before), () -> "firstFailure " + dl.firstFailure());
        assertFalse(dl.lastFailure().isBefore(dl.firstFailure()), () -> "lastFailure " + dl.lastFailure());
        assertTrue(dl.lastFailure().isBefore(OffsetDateTime.now().plusSeconds(2)), () -> "lastFailure " + dl.lastFailure());
        EventEnvelope original = dl.envelope();
        assertEquals(sent.id(), original.id());
        assertEquals(sent.type(), original.type());
        assertArrayEquals(sent.data(), original.data());
        assertEquals(sent.extensions(), original.extensions(), "extensions, diagnostics removed");
        assertEquals(attempts.snapshot().get(0), original, "the dead letter carries the envelope as delivered");
    }

    @Test
    @Rule(id = "DL-02", check = "the ack the core sends after the dead-letter write removes the original from the"
            + " group")
    void deadLetteredEventIsGoneFromTheSource() {
        Messaging messaging = open();
        String topic = topic("gone");
        String group = group("gone");
        Subscriber failing = messaging.subscribe(Subscription.to(topic).group(group).retry(THREE_ATTEMPTS)
                .onEnvelope((e, ctx) -> {
                    throw new IllegalStateException("TCK: always failing");
                }));
        String doomed = send(messaging, topic, TckEvents.note(id("doomed"))).eventId();
        awaitDeadLetters(messaging, topic, group, 1);
        failing.close(Duration.ofSeconds(5));

        Set<String> received = ConcurrentHashMap.newKeySet();
        open().subscribe(Subscription.to(topic).group(group).onEnvelope((e, ctx) -> received.add(e.id())));
        String marker = send(messaging, topic, TckEvents.note(id("marker"))).eventId();

        awaitUntil(() -> received.contains(marker), received::toString);
        assertDuringQuietPeriod(() -> !received.contains(doomed), () -> "dead-lettered event came back: " + received);
    }

    @Test
    @Rule(id = "DL-03", check = "the body and datacontenttype arrive as sent, and the dead letter keeps the original"
            + " bytes")
    void undecodablePayloadIsDeadLetteredWithoutRetries() {
        Messaging messaging = open();
        String topic = topic("undecodable");
        String group = group("undecodable");
        AtomicInteger calls = new AtomicInteger();
        messaging.subscribe(Subscription.to(topic).group(group).retry(THREE_ATTEMPTS)
                .on(OrderPlaced.class, (e, ctx) -> calls.incrementAndGet()));
        EventEnvelope garbage = EventEnvelope.builder().id(id("garbage")).type("tck.order.placed")
                .dataContentType("application/json").data("not json".getBytes()).build();

        send(messaging, topic, garbage);

        DeadLetter dl = awaitDeadLetters(messaging, topic, group, 1).get(0);
        assertEquals(garbage.id(), dl.envelope().id());
        assertEquals("undecodable", dl.reason());
        assertEquals(1, dl.attempts());
        assertArrayEquals("not json".getBytes(), dl.envelope().data());
        assertDuringQuietPeriod(() -> calls.get() == 0, () -> "handler was called " + calls.get() + " times");
    }

    @Test
    @Rule(id = "DL-04", check = "ReceiverDriver.deadLetter, and the ack that follows it, on the first attempt")
    void rejectExceptionDeadLettersAtOnce() {
        Messaging messaging = open();
        String topic = topic("rejected");
        String group = group("rejected");
        AtomicInteger calls = new AtomicInteger();
        messaging.subscribe(Subscription.to(topic).group(group).retry(THREE_ATTEMPTS).onEnvelope((e, ctx) -> {
            calls.incrementAndGet();
            throw new RejectException("TCK: no such customer");
        }));

        String sentId = send(messaging, topic, TckEvents.note(id("rejected"))).eventId();

        DeadLetter dl = awaitDeadLetters(messaging, topic, group, 1).get(0);
        assertEquals(sentId, dl.envelope().id());
        assertEquals("rejected", dl.reason());
        assertEquals(1, dl.attempts());
        assertTrue(dl.errorMessage().contains("no such customer"), () -> "errorMessage " + dl.errorMessage());
        assertDuringQuietPeriod(() -> calls.get() == 1, () -> "handler was called " + calls.get() + " times");
    }

    @Test
    @Rule(id = "DL-05", check = "ReceiverDriver.deadLetter on the first attempt; the predicate itself is the core's"
            + " retry policy")
    void failureTheRetryPredicateRejectsIsDeadLetteredAtOnce() {
        Messaging messaging = open();
        String topic = topic("not-retryable");
        String group = group("not-retryable");
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.fixed(5, Duration.ofMillis(50))
                .retryIf(e -> !(e instanceof IllegalArgumentException));
        messaging.subscribe(Subscription.to(topic).group(group).retry(policy).onEnvelope((e, ctx) -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("TCK: not worth retrying");
        }));

        String sentId = send(messaging, topic, TckEvents.note(id("not-retryable"))).eventId();

        DeadLetter dl = awaitDeadLetters(messaging, topic, group, 1).get(0);
        assertEquals(sentId, dl.envelope().id());
        assertEquals("not-retryable", dl.reason());
        assertEquals(1, dl.attempts());
        assertEquals(IllegalArgumentException.class.getName(), dl.errorType());
        assertDuringQuietPeriod(() -> calls.get() == 1, () -> "handler was called " + calls.get() + " times");
    }

    @Test
    @Rule(id = "DL-06", check = "the dead-letter receiver (ReceiverSpec.Source.DEAD_LETTERS) receives and acks dead"
            + " letters, and their attributes survive a republish")
    void replayBringsADeadLetterBackToTheHandler() {
        Messaging messaging = open();
        assumeCapability(messaging, Capability.DEAD_LETTER_REPLAY);
        String topic = topic("replay");
        String group = group("replay");
        AtomicBoolean broken = new AtomicBoolean(true);
        Inbox<String> handled = new Inbox<>();
        messaging.subscribe(Subscription.to(topic).group(group).retry(THREE_ATTEMPTS).onEnvelope((e, ctx) -> {
            if (broken.get()) {
                throw new RejectException("TCK: broken until fixed");
            }
            handled.add(e.id());
        }));
        String sentId = send(messaging, topic, TckEvents.note(id("replay"))).eventId();
        DeadLetters deadLetters = messaging.deadLetters(topic, group);
        awaitDeadLetters(messaging, topic, group, 1);
        broken.set(false);

        List<DeadLetter> replayed = deadLetters.replay(10, harness().timeout());

        assertEquals(List.of(sentId), replayed.stream().map(dl -> dl.envelope().id()).toList());
        awaitSize(handled, 1);
        assertEquals(List.of(sentId), handled.snapshot());
        assertTrue(deadLetters.list(10, harness().quietPeriod()).isEmpty(), "replayed dead letters are removed");
    }

    @Test
    @Rule(id = "DL-07", check = "a nack on the dead-letter receiver gives the dead letter back, where listing leaves"
            + " it")
    void listingDeadLettersDoesNotRemoveThem() {
        Messaging messaging = open();
        String topic = topic("list");
        String group = group("list");
        messaging.subscribe(Subscription.to(topic).group(group).onEnvelope((e, ctx) -> {
            throw new RejectException("TCK: rejected");
        }));
        List<EventEnvelope> events = notes("list", 2);
        assertTrue(join(messaging.publisher().publishAll(topic, events)).allSucceeded());
        awaitDeadLetters(messaging, topic, group, 2);

        List<DeadLetter> first = messaging.deadLetters(topic, group).list(10, Duration.ofSeconds(1));
        List<DeadLetter> second = messaging.deadLetters(topic, group).list(10, Duration.ofSeconds(1));

        Set<String> ids = idsOf(events);
        assertEquals(ids, Set.copyOf(first.stream().map(dl -> dl.envelope().id()).toList()));
        assertEquals(ids, Set.copyOf(second.stream().map(dl -> dl.envelope().id()).toList()));
        assertEquals(2, second.size(), () -> "dead letters " + second);
    }
}
