package dev.switchboard.testkit.scale;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.PublishResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * Three (or more) service instances, separate JVMs, in one group on one topic; events of many keys published at a
 * steady rate; the first instance killed with SIGKILL once a share of the events was handled; the run ends when
 * every confirmed event was handled, or at the deadline. Every event carries its key and its sequence number in
 * that key ({@code key:seq}) so that per-key order can be checked per instance.
 *
 * <pre>{@code
 * ScaleOutReport report = ScaleOutScenario.on("kafka", properties).run();
 * }</pre>
 *
 * Not thread-safe: one run at a time.
 *
 * @since 0.2
 */
public final class ScaleOutScenario {
    private final String broker;
    private final Map<String, String> config;
    private int instances = 3;
    private int keys = 30;
    private int events = 3000;
    private int eventsPerSecond = 500;
    private Duration handling = Duration.ofMillis(1);
    private double killAfter = 0.4;
    private Duration deadline = Duration.ofMinutes(3);

    private ScaleOutScenario(String broker, Map<String, String> config) {
        this.broker = broker;
        this.config = Map.copyOf(config);
    }

    /** A scenario on the broker {@code config} selects; {@code broker} names it in the summary. */
    public static ScaleOutScenario on(String broker, Map<String, String> config) {
        return new ScaleOutScenario(broker, config);
    }

    public ScaleOutScenario events(int events, int perSecond) {
        this.events = events;
        this.eventsPerSecond = perSecond;
        return this;
    }

    public ScaleOutScenario keys(int keys) {
        this.keys = keys;
        return this;
    }

    public ScaleOutScenario handling(Duration handling) {
        this.handling = handling;
        return this;
    }

    public ScaleOutReport run() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "scale-out-" + run;
        String group = "scale-out-" + run;
        Path workDir = workDir(run);
        List<ServiceInstance> started = new ArrayList<>();
        try (Messaging publisher = Messaging.fromConfig(config)) {
            for (int i = 1; i <= instances; i++) {
                started.add(ServiceInstance.start("instance-" + i, config, topic, group, handling, workDir));
            }
            Map<String, Long> publishedAt = new ConcurrentHashMap<>();
            List<CompletableFuture<PublishResult>> confirmations = new ArrayList<>();
            ServiceInstance victim = started.get(0);
            long killedAt = -1;
            long start = System.nanoTime();
            for (int n = 0; n < events; n++) {
                if (killedAt < 0 && n % 20 == 0 && handledDistinct(started) >= killAfter * events) {
                    victim.kill();
                    killedAt = System.currentTimeMillis();
                }
                String key = "k" + (n % keys);
                String id = run + "-" + key + "-" + (n / keys);
                EventEnvelope event = EventEnvelope.builder().id(id).type("dev.switchboard.scale.tick")
                        .partitionKey(key).data(key + ":" + (n / keys)).build();
                publishedAt.put(id, System.currentTimeMillis());
                confirmations.add(publisher.publisher().publish(topic, event).toCompletableFuture());
                pace(start, n + 1);
            }
            if (killedAt < 0) {
                throw new IllegalStateException("fewer than " + Math.round(killAfter * 100) + "% of the events were handled"
                        + " while publishing: nothing was killed; slow the publishing down or give more events");
            }
            Set<String> confirmed = new HashSet<>();
            for (CompletableFuture<PublishResult> confirmation : confirmations) {
                PublishResult result = confirmation.orTimeout(60, TimeUnit.SECONDS).exceptionally(e -> null).join();
                if (result != null) {
                    confirmed.add(result.eventId());
                }
            }
            awaitAllHandled(started, confirmed);
            return report(started, victim, killedAt, confirmed, publishedAt);
        } finally {
            started.forEach(ServiceInstance::close);
        }
    }

    private void awaitAllHandled(List<ServiceInstance> started, Set<String> confirmed) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() - end < 0) {
            Set<String> handled = new HashSet<>();
            started.forEach(instance -> instance.handled().forEach(h -> handled.add(h.eventId())));
            if (handled.containsAll(confirmed)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // polling the children's output
        }
    }

    private ScaleOutReport report(List<ServiceInstance> started, ServiceInstance victim, long killedAt,
                                  Set<String> confirmed, Map<String, Long> publishedAt) {
        List<ServiceInstance.Handled> all = new ArrayList<>();
        started.forEach(instance -> all.addAll(instance.handled()));
        Map<String, Long> firstHandled = new HashMap<>();
        all.forEach(h -> firstHandled.merge(h.eventId(), h.epochMillis(), Math::min));
        int lost = (int) confirmed.stream().filter(id -> !firstHandled.containsKey(id)).count();
        int duplicates = all.size() - firstHandled.size();

        // the share of the work once the group settled: over the second half of the time before the kill
        long firstAt = firstHandled.values().stream().mapToLong(Long::longValue).min().orElse(killedAt);
        long from = firstAt + (killedAt - firstAt) / 2;
        Map<String, Double> share = new LinkedHashMap<>();
        long beforeKill = firstHandled.values().stream().filter(t -> t >= from && t < killedAt).count();
        for (ServiceInstance instance : started) {
            long mine = instance.handled().stream().filter(h -> h.epochMillis() >= from && h.epochMillis() < killedAt)
                    .map(ServiceInstance.Handled::eventId).distinct().count();
            share.put(instance.name() + (instance == victim ? " (killed)" : ""), beforeKill == 0 ? 0 : (double) mine / beforeKill);
        }

        int violations = 0;
        for (ServiceInstance instance : started) {
            Map<String, Integer> last = new HashMap<>();
            for (ServiceInstance.Handled h : instance.handled()) {
                String[] keyAndSeq = h.data().split(":");
                int seq = Integer.parseInt(keyAndSeq[1]);
                Integer previous = last.put(keyAndSeq[0], seq);
                if (previous != null && seq < previous) {
                    violations++;
                }
            }
        }

        long recovery = publishedAt.entrySet().stream().filter(e -> e.getValue() >= killedAt && firstHandled.containsKey(e.getKey()))
                .mapToLong(e -> firstHandled.get(e.getKey()) - e.getValue()).max().orElse(0);
        return new ScaleOutReport(broker, confirmed.size(), share, lost, duplicates, violations, Duration.ofMillis(recovery));
    }

    private static int handledDistinct(List<ServiceInstance> instances) {
        Set<String> ids = new HashSet<>();
        instances.forEach(instance -> instance.handled().forEach(h -> ids.add(h.eventId())));
        return ids.size();
    }

    /** Keeps the publishing rate: waits until event {@code published} is due. */
    private void pace(long start, int published) {
        long due = start + TimeUnit.SECONDS.toNanos(published) / eventsPerSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static Path workDir(String run) {
        try {
            return Files.createTempDirectory("switchboard-scale-out-" + run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
