package dev.switchboard.benchmarks;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A soak: one service process publishing and consuming a steady load on Kafka and on RabbitMQ for a number of
 * minutes, with a fault every few minutes (in turn: the Kafka broker stopped and started, every RabbitMQ
 * connection closed by the broker, the RabbitMQ application restarted), sampling its heap (after the last GC),
 * live threads and open file descriptors every five seconds. Writes {@code soak.tsv} and {@code soak.png}; ends
 * with the events lost per broker (confirmed, never handled). Run by {@code benchmarks/soak.sh}; not part of CI.
 */
public final class Soak {
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    private static final int PER_SECOND = 200;

    private record Load(String broker, Messaging messaging, Set<String> confirmed, Set<String> handled,
                        AtomicLong failed) {
    }

    /** One sample: minute, heap after the last GC (MiB), live threads, open file descriptors, counts. */
    record Sample(double minute, double heapMiB, int threads, long fds, String counts) {
    }

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        int minutes = 10;
        int faultEvery = 2;
        Path out = Path.of("benchmarks/results/soak");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                case "--fault-every" -> faultEvery = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --minutes N, --fault-every M, --out DIR)");
            }
        }
        Path scripts = Path.of(System.getProperty("soak.scripts", "scripts"));
        Files.createDirectories(out);
        List<Load> loads = List.of(
                load("kafka", Map.of("switchboard.broker", "kafka", "switchboard.kafka.bootstrap-servers",
                        System.getenv().getOrDefault("BENCH_KAFKA_BOOTSTRAP", "127.0.0.1:9092"), "switchboard.publish.timeout", "60s")),
                load("rabbitmq", Map.of("switchboard.broker", "rabbitmq", "switchboard.rabbitmq.uri",
                        System.getenv().getOrDefault("BENCH_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672/"),
                        "switchboard.publish.timeout", "60s")));
        long start = System.nanoTime();
        long end = start + TimeUnit.MINUTES.toNanos(minutes);
        List<Thread> publishers = new ArrayList<>();
        for (Load load : loads) {
            Thread publisher = new Thread(() -> publish(load, start, end), "soak-publisher-" + load.broker);
            publisher.start();
            publishers.add(publisher);
        }
        List<Sample> samples = new ArrayList<>();
        List<Double> faults = new ArrayList<>();
        List<String> faultNames = new ArrayList<>();
        String[][] faultKinds = {{"stop-kafka.sh", "start-kafka.sh"}, {"rabbitmq-fault.sh close-connections"},
                {"rabbitmq-fault.sh restart-app"}};
        long nextFault = start + TimeUnit.MINUTES.toNanos(faultEvery);
        int faultIndex = 0;
        try (PrintWriter tsv = new PrintWriter(Files.newBufferedWriter(out.resolve("soak.tsv")))) {
            tsv.println("minute\theap_after_gc_mib\tthreads\topen_fds\tcounts");
            while (System.nanoTime() < end) {
                Sample sample = sample(start, loads);
                samples.add(sample);
                tsv.printf(Locale.ROOT, "%.2f\t%.1f\t%d\t%d\t%s%n", sample.minute(), sample.heapMiB(), sample.threads(),
                        sample.fds(), sample.counts());
                tsv.flush();
                System.err.printf(Locale.ROOT, "[soak] %5.2f min  heap %.1f MiB  threads %d  fds %d  %s%n", sample.minute(),
                        sample.heapMiB(), sample.threads(), sample.fds(), sample.counts());
                if (System.nanoTime() >= nextFault && System.nanoTime() + TimeUnit.MINUTES.toNanos(1) < end) {
                    String[] kind = faultKinds[faultIndex++ % faultKinds.length];
                    faults.add((System.nanoTime() - start) / 60e9);
                    faultNames.add(String.join(" + ", kind));
                    System.err.println("[soak] fault: " + String.join(" + ", kind));
                    for (String command : kind) {
                        run(scripts, command);
                    }
                    nextFault += TimeUnit.MINUTES.toNanos(faultEvery);
                }
                LockSupport.parkNanos(SAMPLE_EVERY.toNanos());
            }
        }
        for (Thread publisher : publishers) {
            publisher.join();
        }
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < settle && loads.stream().anyMatch(l -> !l.handled.containsAll(l.confirmed))) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        StringBuilder summary = new StringBuilder("soak " + minutes + " min, " + PER_SECOND + " events/s per broker, "
                + faults.size() + " faults (" + String.join("; ", faultNames) + ")");
        for (Load load : loads) {
            long lost = load.confirmed.stream().filter(id -> !load.handled.contains(id)).count();
            summary.append(String.format(Locale.ROOT, "; %s: %d confirmed, %d failed (not sent or unknown), lost %d",
                    load.broker, load.confirmed.size(), load.failed.get(), lost));
            load.messaging.close();
        }
        Files.writeString(out.resolve("soak.md"), summary + "\n");
        SoakChart.draw(samples, faults, summary.toString(), out.resolve("soak.png"));
        System.out.println(summary);
    }

    private static Load load(String broker, Map<String, String> config) {
        Messaging messaging = Messaging.fromConfig(config);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        String topic = "soak-" + broker + "-" + Instant.now().getEpochSecond();
        messaging.subscribe(Subscription.to(topic).group("soak").onEnvelope((event, context) -> handled.add(event.id())).build());
        return new Load(broker + ":" + topic, messaging, ConcurrentHashMap.newKeySet(), handled, new AtomicLong());
    }

    private static void publish(Load load, long start, long end) {
        String topic = load.broker.substring(load.broker.indexOf(':') + 1);
        byte[] data = new byte[1024];
        java.util.Arrays.fill(data, (byte) 'x');
        for (long n = 0; System.nanoTime() < end; n++) {
            String id = topic + "-" + n;
            EventEnvelope event = EventEnvelope.builder().id(id).type("dev.switchboard.soak.tick")
                    .partitionKey("k" + (n % 50)).data(data).build();
            load.messaging.publisher().publish(topic, event).whenComplete((result, error) -> {
                if (error == null) {
                    load.confirmed.add(id);
                } else {
                    load.failed.incrementAndGet();
                }
            });
            LockSupport.parkNanos(start + TimeUnit.SECONDS.toNanos(1) * (n + 1) / PER_SECOND - System.nanoTime());
        }
    }

    private static Sample sample(long start, List<Load> loads) {
        long heapAfterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                heapAfterGc += pool.getCollectionUsage().getUsed();
            }
        }
        long fds = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getOpenFileDescriptorCount() : -1;
        StringBuilder counts = new StringBuilder();
        for (Load load : loads) {
            counts.append(counts.length() == 0 ? "" : " ").append(load.broker, 0, load.broker.indexOf(':'))
                    .append(" confirmed=").append(load.confirmed.size()).append(" handled=").append(load.handled.size())
                    .append(" failed=").append(load.failed.get());
        }
        return new Sample((System.nanoTime() - start) / 60e9, heapAfterGc / 1048576.0,
                ManagementFactory.getThreadMXBean().getThreadCount(), fds, counts.toString());
    }

    private static void run(Path scripts, String command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("bash"));
        String[] parts = command.split(" ");
        line.add(scripts.resolve(parts[0]).toString());
        line.addAll(List.of(parts).subList(1, parts.length));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed");
        }
    }
}
