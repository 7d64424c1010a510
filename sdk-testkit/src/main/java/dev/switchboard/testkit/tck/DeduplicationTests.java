package dev.switchboard.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Deduplication: with the idempotent-consumer filter on, an event id is handled once per group.
 *
 * @since 0.1
 */
public abstract class DeduplicationTests extends TckSupport {

    @Test
    @Rule(id = "DD-01", check = "the id attribute arrives unchanged on every copy, so the core's deduplication store"
            + " sees one id")
    void sameIdPublishedTwiceIsHandledOnceWithDeduplication() {
        Messaging messaging = open();
        String topic = topic("dedup");
        Inbox<String> handled = new Inbox<>();
        Subscriber subscriber = messaging.subscribe(Subscription.to(topic).group(group("dedup"))
                .deduplicate(Duration.ofMinutes(5)).onEnvelope((e, ctx) -> handled.add(e.id())));
        EventEnvelope event = TckEvents.note(id("twice"));

        send(messaging, topic, event);
        send(messaging, topic, event);

        awaitUntil(() -> subscriber.stats().duplicates() >= 1, () -> "handled " + handled + ", stats " + subscriber.stats());
        assertDuringQuietPeriod(() -> handled.size() == 1, handled::toString);
        assertEquals(1, subscriber.stats().duplicates());
    }

    @Test
    @Rule(id = "DD-02", check = "the driver does not deduplicate by event id on the broker (an SQS FIFO deduplication"
            + " id); such a broker runs in its own harness")
    void sameIdPublishedTwiceIsHandledTwiceWithoutDeduplication() {
        Messaging messaging = open();
        String topic = topic("no-dedup");
        Inbox<String> handled = new Inbox<>();
        Subscriber subscriber = messaging.subscribe(Subscription.to(topic).group(group("no-dedup"))
                .onEnvelope((e, ctx) -> handled.add(e.id())));
        EventEnvelope event = TckEvents.note(id("twice"));

        send(messaging, topic, event);
        send(messaging, topic, event);

        awaitSize(handled, 2);
        assertEquals(0, subscriber.stats().duplicates());
    }
}
