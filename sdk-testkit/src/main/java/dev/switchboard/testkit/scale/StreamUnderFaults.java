package dev.switchboard.testkit.scale;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One service publishing events of 30 keys at a steady rate to a topic while it consumes them in a group, with
 * faults injected at given events (a broker node killed, say); it waits until every confirmed event was handled
 * and reports what was lost and, for each fault, how long until the first event published after it was confirmed
 * and consumed. For cluster tests of an adapter.
 *
 * <pre>{@code
 * Report report = StreamUnderFaults.on(messaging).fault(1000, "leader killed", topic -> kill(leaderOf(topic)))
 *         .run(3000, 200);
 * }</pre>
 *
 * Not thread-safe: one run at a time.
 *
 * @since 0.2
 */
public final class StreamUnderFaults {
    /** The group the stream is consumed in: a RabbitMQ group's queue is {@code <topic>.under-faults}. */
    public static final String GROUP = "under-faults";

    /** A fault's action, given the stream's topic; may throw. */
    @FunctionalInterface
    public interface Fault {
        void inject(String topic) throws Exception;
    }

    /** How long after a fault the first event published after it was confirmed, and consumed. */
    public record Resume(String fault, long confirmedAfterMillis, long consumedAfterMillis) {
        public long millis() {
            return Math.max(confirmedAfterMillis, consumedAfterMillis);
        }
    }

    /** What a run measured. */
    public record Report(int published, int confirmed, long lost, List<Resume> resumes) {
        public String summary() {
            StringBuilder text = new StringBuilder(published + " published, " + confirmed + " confirmed, lost " + lost);
            resumes.forEach(r -> text.append("; ").append(r.fault()).append(": the first event published after it was"
                    + " confirmed after ").append(r.confirmedAfterMillis()).append(" ms and consumed after ")
                    .append(r.consumedAfterMillis()).append(" ms"));
            return text.toString();
        }
    }

    private final Messaging messaging;
    private final Map<Integer, Map.Entry<String, Fault>> faults = new LinkedHashMap<>();
    private Duration deadline = Duration.ofSeconds(90);

    private StreamUnderFaults(Messaging messaging) {
        this.messaging = messaging;
    }

    public static StreamUnderFaults on(Messaging messaging) {
        return new StreamUnderFaults(messaging);
    }

    /** Injects {@code fault} just before event {@code atEvent} is published. */
    public StreamUnderFaults fault(int atEvent, String name, Fault fault) {
        faults.put(atEvent, Map.entry(name, fault));
        return this;
    }

    /** Publishes {@code events} at {@code perSecond} to a fresh topic, consumed by a fresh group. */
    public Report run(int events, int perSecond) throws Exception {
        String topic = "stream-under-faults-" + UUID.randomUUID();
        Map<String, Long> received = new ConcurrentHashMap<>();
        Map<String, Long> confirmedAt = new ConcurrentHashMap<>();
        List<Long> publishedAt = new ArrayList<>();
        Map<String, Long> faultedAt = new LinkedHashMap<>();
        messaging.subscribe(Subscription.to(topic).group(GROUP)
                .onEnvelope((event, context) -> received.putIfAbsent(event.id(), System.currentTimeMillis())).build());
        List<CompletableFuture<?>> publishes = new ArrayList<>();
        long start = System.nanoTime();
        for (int n = 0; n < events; n++) {
            Map.Entry<String, Fault> fault = faults.get(n);
            if (fault != null) {
                fault.getValue().inject(topic);
                faultedAt.put(fault.getKey() + "@" + n, System.currentTimeMillis());
            }
            String id = "e-" + n;
            publishedAt.add(System.currentTimeMillis());
            publishes.add(messaging.publisher().publish(topic, EventEnvelope.builder().id(id).type("dev.switchboard.tick")
                    .partitionKey("k" + (n % 30)).data(Integer.toString(n)).build()).toCompletableFuture()
                    .thenRun(() -> confirmedAt.put(id, System.currentTimeMillis())));
            LockSupport.parkNanos(start + TimeUnit.SECONDS.toNanos(1) * (n + 1) / perSecond - System.nanoTime());
        }
        CompletableFuture.allOf(publishes.stream().map(p -> p.exceptionally(e -> null)).toArray(CompletableFuture[]::new))
                .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        Set<String> confirmed = confirmedAt.keySet();
        long end = System.nanoTime() + deadline.toNanos();
        while (!received.keySet().containsAll(confirmed) && System.nanoTime() - end < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // polling the handler's record
        }
        List<Resume> resumes = new ArrayList<>();
        faultedAt.forEach((name, at) -> {
            int first = 0;
            while (first < publishedAt.size() && publishedAt.get(first) < at) {
                first++;
            }
            String id = "e-" + first;
            resumes.add(new Resume(name.substring(0, name.lastIndexOf('@')),
                    confirmedAt.getOrDefault(id, Long.MAX_VALUE) - at, received.getOrDefault(id, Long.MAX_VALUE) - at));
        });
        long lost = confirmed.stream().filter(id -> !received.containsKey(id)).count();
        return new Report(events, confirmed.size(), lost, resumes);
    }
}
