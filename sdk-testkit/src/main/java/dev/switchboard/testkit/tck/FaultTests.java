package dev.switchboard.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults: nothing the broker confirmed is lost when it restarts. Runs only where the harness can restart the
 * broker.
 *
 * @since 0.1
 */
public abstract class FaultTests extends TckSupport {

    @BeforeEach
    void requireRestartableBroker() {
        Assumptions.assumeTrue(harness().canRestartBroker(), harness()::whyNoRestart);
    }

    @Test
    @Rule(id = "FT-01", check = "the publisher and receivers reconnect after the restart, and a publish completes only"
            + " once the broker confirmed it")
    void eventsPublishedAcrossABrokerRestartAreAllReceived() throws Exception {
        Messaging messaging = open();
        String topic = topic("restart");
        Set<String> received = ConcurrentHashMap.newKeySet();
        messaging.subscribe(Subscription.to(topic).group(group("restart")).onEnvelope((e, ctx) -> received.add(e.id())));
        Set<String> confirmed = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        String run = id("restart");
        Future<?> publishing = executor(1).submit(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    String eventId = messaging.publisher().publish(topic, TckEvents.note(run + "-" + i))
                            .toCompletableFuture().get(harness().timeout().toMillis(), TimeUnit.MILLISECONDS).eventId();
                    confirmed.add(eventId);
                } catch (Exception e) {
                    failed.incrementAndGet(); // allowed while the broker is down
                    pause(Duration.ofMillis(50));
                }
            }
        });
        awaitUntil(() -> confirmed.size() >= 20, () -> confirmed.size() + " confirmed, " + failed.get() + " failed");

        harness().restartBroker();

        int afterRestart = confirmed.size();
        awaitUntil(() -> confirmed.size() >= afterRestart + 20,
                () -> (confirmed.size() - afterRestart) + " confirmed after the restart, " + failed.get() + " failed");
        stop.set(true);
        publishing.get(harness().timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        awaitUntil(() -> received.containsAll(confirmed), () -> {
            Set<String> missing = ConcurrentHashMap.newKeySet();
            missing.addAll(confirmed);
            missing.removeAll(received);
            return missing.size() + " confirmed but never received, such as " + abbreviate(missing);
        });
    }

    @Test
    @Rule(id = "FT-02", check = "topics, queues and messages are durable (RabbitMQ durable queues and persistent"
            + " messages, Kafka replicated and flushed records)")
    void eventsConfirmedBeforeARestartWaitForTheirGroup() {
        Messaging publisher = open();
        String topic = topic("restart-wait");
        String group = group("restart-wait");
        publisher.provision(topic, group);
        List<EventEnvelope> events = notes("before-restart", 50);
        assertTrue(join(publisher.publisher().publishAll(topic, events)).allSucceeded());

        harness().restartBroker();

        Set<String> received = ConcurrentHashMap.newKeySet();
        open().subscribe(Subscription.to(topic).group(group).onEnvelope((e, ctx) -> received.add(e.id())));
        Set<String> ids = idsOf(events);
        awaitUntil(() -> received.containsAll(ids), () -> received.size() + " of " + ids.size() + " received");
    }
}
