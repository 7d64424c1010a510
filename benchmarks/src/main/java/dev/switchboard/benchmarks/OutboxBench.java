package dev.switchboard.benchmarks;

import dev.switchboard.Messaging;
import dev.switchboard.jdbc.Outbox;
import dev.switchboard.jdbc.OutboxRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The transactional outbox on PostgreSQL → Kafka against direct publishing, in one run (issue: outbox events/s
 * and idle latency). Per round, for transactions of {@link Plan#batch} events and of one event: the outbox
 * (W writers committing, one {@link OutboxRelay} publishing) and direct publishing of the same events (W threads,
 * each unit awaited), their order alternating by round; then the broker's pipelined ceiling; then idle latency,
 * outbox and direct, order alternating too. A fresh schema and topics of its own per run, dropped at the end.
 * {@link OutboxReport} writes the results.
 *
 * <pre>java -cp … dev.switchboard.benchmarks.OutboxBench [--quick] --out DIR [--commit SHA]</pre>
 *
 * Endpoints: {@code BENCH_KAFKA_BOOTSTRAP} (127.0.0.1:9092), {@code BENCH_POSTGRES_JDBC_URL}
 * (jdbc:postgresql://127.0.0.1:5432/switchboard_test?user=postgres).
 */
public final class OutboxBench {
    /** The sizes and shape of a run. */
    record Plan(int events, int singleEvents, int rounds, int writers, int batch, int keys, int relayBatch,
                int latencyEvents, int latencyWarmup, Duration spacing) {
    }

    /** The run's topics: throughput (outbox, direct, pipelined) and idle latency (outbox, direct). */
    private static final List<String> SUFFIXES = List.of("-outbox", "-direct", "-pipelined", "-lat-outbox", "-lat-direct");

    static Plan plan(boolean quick) {
        return quick ? new Plan(20_000, 4_000, 3, 4, 10, 1_000, 200, 200, 20, Duration.ofMillis(20))
                : new Plan(100_000, 20_000, 3, 4, 10, 1_000, 200, 500, 20, Duration.ofMillis(20));
    }

    private OutboxBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = null;
        String commit = "unknown";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--commit" -> commit = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use [--quick] --out DIR [--commit SHA]");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        Files.createDirectories(out);
        Plan plan = plan(quick);
        String kafka = env("BENCH_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        String postgres = env("BENCH_POSTGRES_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/switchboard_test?user=postgres");
        String run = "bench-outbox-" + Instant.now().getEpochSecond();
        OutboxReport report = new OutboxReport(plan, quick ? "quick" : "full", commit, Instant.now(), OutboxReport.loadAverage());
        System.out.println("[outbox] " + plan + ", run " + run + ", load average " + report.loadAtStart);
        Exception failure = null;
        try (BenchSchema schema = new BenchSchema(postgres, run.replace('-', '_'))) {
            report.database = "PostgreSQL " + schema.setting("server_version") + ", synchronous_commit="
                    + schema.setting("synchronous_commit") + ", fsync=" + schema.setting("fsync");
            createTopics(kafka, run);
            try (Messaging messaging = Messaging.builder().properties(Map.of(
                    "switchboard.broker", "kafka",
                    "switchboard.service-name", "bench",
                    "switchboard.kafka.bootstrap-servers", kafka,
                    "switchboard.kafka.topic.partitions", String.valueOf(KafkaBench.PARTITIONS))).build()) {
                measure(plan, run, messaging, schema, report);
            }
        } catch (Exception e) {
            failure = e;
            report.failure = e.toString();
        } finally {
            cleanUp(kafka, run);
        }
        report.loadAtEnd = OutboxReport.loadAverage();
        report.write(out);
        if (failure != null) {
            failure.printStackTrace();
            System.exit(2);
        }
    }

    /**
     * Creates the run's topics and waits until every partition has a leader, so that no first publish races the
     * topic's creation (one full run lost its pipelined side to that: NOT_LEADER_OR_FOLLOWER on the first batch,
     * then the idempotent producer's OUT_OF_ORDER_SEQUENCE_NUMBER until the publish timeout).
     */
    private static void createTopics(String bootstrap, String run) throws Exception {
        List<String> names = SUFFIXES.stream().map(suffix -> run + suffix).toList();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(names.stream().map(name -> new NewTopic(name, KafkaBench.PARTITIONS, (short) 1)).toList())
                    .all().get();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!admin.describeTopics(names).allTopicNames().get().values().stream()
                    .allMatch(topic -> topic.partitions().stream().allMatch(partition -> partition.leader() != null))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the run's topics have no leader after 30 s: " + names);
                }
                Thread.sleep(50);
            }
        }
    }

    private static void measure(Plan plan, String run, Messaging messaging, BenchSchema schema, OutboxReport report)
            throws Exception {
        List<String> topics = List.of(run + "-outbox", run + "-direct", run + "-pipelined");
        Outbox outbox = Outbox.of(messaging);
        try (OutboxRelay relay = OutboxRelay.builder(messaging, schema.dataSource).batchSize(plan.relayBatch()).start();
             OutboxLatency outboxLatency = new OutboxLatency(messaging, run + "-lat-outbox", "lat-outbox-" + run);
             OutboxLatency directLatency = new OutboxLatency(messaging, run + "-lat-direct", "lat-direct-" + run)) {
            KeyedEvents events = new KeyedEvents(plan.keys());
            OutboxLoad load = new OutboxLoad(messaging.publisher(), outbox, relay, schema.dataSource, plan.writers(), events);
            awaitBuckets(relay);
            for (int round = 0; round <= plan.rounds(); round++) {
                boolean warmUp = round == 0;
                int scale = warmUp ? 10 : 1;
                boolean outboxFirst = round % 2 == 1;
                for (int batch : new int[] {plan.batch(), 1}) {
                    int n = (batch == 1 ? plan.singleEvents() : plan.events()) / scale;
                    for (String side : outboxFirst ? List.of("outbox", "direct") : List.of("direct", "outbox")) {
                        System.gc();
                        OutboxLoad.Result result = side.equals("outbox") ? load.outbox(topics.get(0), n, batch)
                                : load.direct(topics.get(1), n, batch);
                        report.throughput(round, side, batch, n, result);
                    }
                }
                System.gc();
                report.throughput(round, "pipelined", 1, plan.events() / scale, load.pipelined(topics.get(2), plan.events() / scale));
                int latencyEvents = warmUp ? plan.latencyEvents() / 5 : plan.latencyEvents();
                for (String side : outboxFirst ? List.of("outbox", "direct") : List.of("direct", "outbox")) {
                    System.gc();
                    Thread.sleep(1_000);
                    OutboxLatency.Pass pass = side.equals("outbox")
                            ? outboxLatency.outbox(outbox, schema.dataSource, events, plan.latencyWarmup(), latencyEvents, plan.spacing())
                            : directLatency.direct(messaging.publisher(), events, plan.latencyWarmup(), latencyEvents, plan.spacing());
                    report.latency(round, side, pass);
                }
                report.roundEnded(round, OutboxReport.loadAverage());
            }
        }
    }

    /** Waits until the one relay holds all 64 buckets. */
    private static void awaitBuckets(OutboxRelay relay) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (relay.stats().ownedBuckets() < 64) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the relay holds " + relay.stats().ownedBuckets() + " of 64 buckets after 30 s");
            }
            Thread.sleep(10);
        }
    }

    /** Deletes the run's topics and consumer groups. */
    private static void cleanUp(String bootstrap, String run) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Set<String> topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith(run))
                    .collect(Collectors.toSet());
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get();
            }
            try {
                admin.deleteConsumerGroups(List.of("lat-outbox-" + run, "lat-direct-" + run)).all().get();
            } catch (Exception e) {
                // a group that never committed does not exist
            }
            System.out.println("[outbox] deleted topics " + topics + " and the run's consumer groups");
        } catch (Exception e) {
            System.out.println("[outbox] could not delete the topics of " + run + ": " + e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
