package dev.switchboard.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.DeadLetter;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import dev.switchboard.UnknownTypePolicy;
import dev.switchboard.testkit.tck.TckEvents.OrderPlaced;
import dev.switchboard.testkit.tck.TckEvents.Unhandled;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Groups: every group gets every event, members of one group share them, and a group's events wait for it.
 *
 * @since 0.1
 */
public abstract class GroupTests extends TckSupport {

    @Test
    @Rule(id = "GR-01", check = "TopologyDriver.createReceiver makes one queue or subscription per group, bound to the"
            + " topic (fan-out)")
    void twoGroupsEachGetAllEvents() {
        Messaging messaging = open();
        String topic = topic("fan-out");
        Set<String> first = ConcurrentHashMap.newKeySet();
        Set<String> second = ConcurrentHashMap.newKeySet();
        messaging.subscribe(Subscription.to(topic).group(group("first")).onEnvelope((e, ctx) -> first.add(e.id())));
        messaging.subscribe(Subscription.to(topic).group(group("second")).onEnvelope((e, ctx) -> second.add(e.id())));
        List<EventEnvelope> events = notes("fan", 50);

        assertTrue(join(messaging.publisher().publishAll(topic, events)).allSucceeded());

        Set<String> ids = idsOf(events);
        awaitUntil(() -> first.containsAll(ids) && second.containsAll(ids),
                () -> "first " + first.size() + ", second " + second.size() + " of " + ids.size());
    }

    @Test
    @Rule(id = "GR-02", check = "receivers of one group share its queue or consumer group, and a rebalance neither"
            + " loses nor commits unsettled messages")
    void membersOfOneGroupTogetherGetAllEvents() {
        String topic = topic("compete");
        String group = group("compete");
        Set<String> memberA = ConcurrentHashMap.newKeySet();
        Set<String> memberB = ConcurrentHashMap.newKeySet();
        open().subscribe(Subscription.to(topic).group(group).concurrency(2).onEnvelope((e, ctx) -> memberA.add(e.id())));
        open().subscribe(Subscription.to(topic).group(group).concurrency(2).onEnvelope((e, ctx) -> memberB.add(e.id())));
        Messaging publisher = open();
        List<EventEnvelope> events = notes("compete", 200);

        assertTrue(join(publisher.publisher().publishAll(topic, events)).allSucceeded());

        Set<String> ids = idsOf(events);
        Set<String> union = ConcurrentHashMap.newKeySet();
        awaitUntil(() -> {
            union.addAll(memberA);
            union.addAll(memberB);
            return union.containsAll(ids);
        }, () -> "A " + memberA.size() + " + B " + memberB.size() + ", together " + union.size() + " of " + ids.size());
    }

    @Test
    @Rule(id = "GR-03", check = "createReceiver binds the group before it returns, and a new receiver starts at the"
            + " group's first unacknowledged message (Kafka: earliest)")
    void provisionedGroupReceivesWhatWasPublishedBeforeItsFirstSubscriber() {
        Messaging publisher = open();
        String topic = topic("provisioned");
        String group = group("provisioned");
        publisher.provision(topic, group);
        List<EventEnvelope> events = notes("early", 10);
        assertTrue(join(publisher.publisher().publishAll(topic, events)).allSucceeded());

        Set<String> received = ConcurrentHashMap.newKeySet();
        open().subscribe(Subscription.to(topic).group(group).onEnvelope((e, ctx) -> received.add(e.id())));

        Set<String> ids = idsOf(events);
        awaitUntil(() -> received.containsAll(ids), () -> received + " of " + ids);
    }

    @Test
    @Rule(id = "GR-04", check = "ReceiverDriver.ack removes a message no handler ran for; it must not come back to the"
            + " next subscriber")
    void unknownTypeIsAcknowledgedAndSkippedByDefault() {
        Messaging messaging = open();
        String topic = topic("unknown-skip");
        String group = group("unknown-skip");
        Inbox<OrderPlaced> handled = new Inbox<>();
        Subscriber subscriber = messaging.subscribe(Subscription.to(topic).group(group)
                .on(OrderPlaced.class, (e, ctx) -> handled.add(e)));

        String unknownId = send(messaging, topic, new Unhandled("nobody takes me")).eventId();
        send(messaging, topic, new OrderPlaced("marker", 1));

        awaitSize(handled, 1);
        awaitUntil(() -> subscriber.stats().skippedUnknownType() == 1, () -> "stats " + subscriber.stats());
        assertTrue(messaging.deadLetters(topic, group).list(10, harness().quietPeriod()).isEmpty(),
                "a skipped event must not be dead-lettered");
        subscriber.close(Duration.ofSeconds(5));
        Set<String> afterRestart = ConcurrentHashMap.newKeySet();
        open().subscribe(Subscription.to(topic).group(group).onEnvelope((e, ctx) -> afterRestart.add(e.id())));
        String marker = send(messaging, topic, TckEvents.note(id("second-marker"))).eventId();
        awaitUntil(() -> afterRestart.contains(marker), afterRestart::toString);
        assertDuringQuietPeriod(() -> !afterRestart.contains(unknownId), () -> "skipped event was redelivered: " + afterRestart);
    }

    @Test
    @Rule(id = "GR-05", check = "ReceiverDriver.deadLetter writes to ReceiverSpec.deadLetterDestination() with every"
            + " attribute it is given")
    void unknownTypeIsDeadLetteredWhenAsked() {
        Messaging messaging = open();
        String topic = topic("unknown-dlq");
        String group = group("unknown-dlq");
        messaging.subscribe(Subscription.to(topic).group(group).unknownTypes(UnknownTypePolicy.DEAD_LETTER)
                .on(OrderPlaced.class, (e, ctx) -> { }));

        String unknownId = send(messaging, topic, new Unhandled("dead-letter me")).eventId();

        List<DeadLetter> deadLetters = awaitDeadLetters(messaging, topic, group, 1);
        assertEquals(1, deadLetters.size(), () -> "dead letters " + deadLetters);
        assertEquals(unknownId, deadLetters.get(0).envelope().id());
        assertEquals("unknown-type", deadLetters.get(0).reason());
    }

    @Test
    @Rule(id = "GR-06", check = "the type attribute arrives unchanged; dispatch itself is the core's handler table")
    void envelopeHandlerReceivesTypesNoTypedHandlerTakes() {
        Messaging messaging = open();
        String topic = topic("fallback");
        Inbox<OrderPlaced> typed = new Inbox<>();
        Inbox<String> raw = new Inbox<>();
        messaging.subscribe(Subscription.to(topic).group(group("fallback"))
                .on(OrderPlaced.class, (e, ctx) -> typed.add(e))
                .onEnvelope((e, ctx) -> raw.add(e.id())));

        send(messaging, topic, new OrderPlaced("typed", 1));
        String unknownId = send(messaging, topic, new Unhandled("raw")).eventId();

        awaitUntil(() -> typed.size() >= 1 && raw.size() >= 1, () -> "typed " + typed + ", raw " + raw);
        assertDuringQuietPeriod(() -> Set.copyOf(typed.map(OrderPlaced::orderId)).equals(Set.of("typed"))
                && Set.copyOf(raw.snapshot()).equals(Set.of(unknownId)), () -> "typed " + typed + ", raw " + raw);
    }
}
