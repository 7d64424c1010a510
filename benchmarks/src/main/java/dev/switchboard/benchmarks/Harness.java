package dev.switchboard.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Switchboard against the raw clients, broker by broker, interleaved in one run: for each round, the raw side
 * publishes, consumes and measures latency, then Switchboard does the same (raw, Switchboard, raw,
 * Switchboard…). Writes every round's figure to {@code <out>/harness.tsv}; {@link Report} turns it into the
 * markdown table and the chart.
 *
 * <p>Each broker also has an "instrumented" Switchboard side (metrics and traces on, see {@link Observability}),
 * measured in the same rounds right beside the plain one; the two swap places every round (odd rounds plain
 * first, even rounds instrumented first), so that neither always runs after the other. What its instrumentation
 * recorded (spans exported, dropped) goes to {@code <out>/instrumentation.tsv}.
 *
 * <pre>
 * java -cp … dev.switchboard.benchmarks.Harness [--quick] [--brokers kafka,rabbitmq,sns-sqs,in-memory] [--out DIR]
 * </pre>
 *
 * Endpoints: {@code BENCH_KAFKA_BOOTSTRAP} (127.0.0.1:9092), {@code BENCH_RABBITMQ_URI}
 * (amqp://guest:guest@127.0.0.1:5672/), {@code BENCH_SNS_SQS_ENDPOINT} (http://127.0.0.1:4566). Every run uses
 * its own topics, queues and groups, named {@code bench-<time>-…}, and deletes them at the end.
 */
public final class Harness {
    private static final Duration CONSUME_TIMEOUT = Duration.ofMinutes(5);

    /** The sizes of one broker's run. */
    record Plan(int events, int rounds, int warmup, int latencyEvents, int latencyRate, int singlePublishEvents) {
    }

    private final boolean quick;
    /** The typed path (issue 13): every side writes and reads a {@link BenchEvent} with Jackson; the peers run. */
    private boolean typed;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String[]> instrumentation = new ArrayList<>();
    private boolean recording = true;

    private Harness(boolean quick) {
        this.quick = quick;
    }

    static Plan plan(String broker, boolean quick) {
        return switch (broker) {
            case "kafka" -> quick ? new Plan(500_000, 3, 200, 3_000, 5_000, 0) : new Plan(1_000_000, 5, 200, 20_000, 5_000, 0);
            case "rabbitmq" -> quick ? new Plan(20_000, 3, 100, 2_000, 2_000, 0) : new Plan(100_000, 5, 100, 10_000, 2_000, 0);
            case "sns-sqs" -> quick ? new Plan(10_000, 3, 50, 1_000, 500, 2_000) : new Plan(30_000, 5, 50, 5_000, 500, 5_000);
            case "in-memory" -> quick ? new Plan(500_000, 3, 1_000, 20_000, 20_000, 0)
                    : new Plan(2_000_000, 5, 1_000, 100_000, 20_000, 0);
            default -> throw new IllegalArgumentException("unknown broker " + broker);
        };
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean typed = false;
        List<String> brokers = List.of("kafka", "rabbitmq", "sns-sqs", "in-memory");
        Path out = Path.of("benchmarks/results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--typed" -> typed = true;
                case "--brokers" -> brokers = Arrays.asList(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use [--quick] [--typed] [--brokers kafka,rabbitmq,sns-sqs,in-memory] [--out DIR]");
            }
        }
        Files.createDirectories(out);
        Harness harness = new Harness(quick);
        harness.typed = typed;
        if (typed && !brokers.stream().allMatch(b -> b.equals("kafka") || b.equals("rabbitmq"))) {
            throw new IllegalArgumentException("--typed runs Kafka and RabbitMQ only (the brokers with a Spring peer)");
        }
        String run = "bench-" + Instant.now().getEpochSecond();
        int failed = 0;
        for (String broker : brokers) {
            long started = System.nanoTime();
            try {
                harness.run(broker, run);
            } catch (Exception | AssertionError e) {
                failed++;
                System.out.println("[" + broker + "] FAILED: " + e);
                e.printStackTrace(System.out);
                harness.rows.add(new String[] {broker, "error", "-", "0", String.valueOf(e).replace('\t', ' ').replace('\n', ' ')});
            }
            System.out.printf(Locale.ROOT, "[%s] done in %.1f s%n", broker, (System.nanoTime() - started) / 1e9);
            harness.write(out.resolve("harness.tsv"));
            harness.writeInstrumentation(out.resolve("instrumentation.tsv"));
        }
        System.exit(failed == 0 ? 0 : 2);
    }

    private void run(String broker, String run) throws Exception {
        Plan plan = plan(broker, quick);
        System.out.println("[" + broker + "] " + plan + ", run " + run);
        String kafka = env("BENCH_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        String rabbit = env("BENCH_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672/");
        String aws = env("BENCH_SNS_SQS_ENDPOINT", "http://127.0.0.1:4566");
        Side[] sides = null;
        try {
            sides = switch (broker) {
                case "kafka" -> typed ? KafkaBench.typedSides(kafka, run) : KafkaBench.sides(kafka, run);
                case "rabbitmq" -> typed ? RabbitMqBench.typedSides(rabbit, run) : RabbitMqBench.sides(rabbit, run);
                case "sns-sqs" -> SnsSqsBench.sides(aws, run);
                case "in-memory" -> InMemoryBench.sides(run);
                default -> throw new IllegalArgumentException(broker);
            };
            // round 0: a smaller warm-up of both sides (JIT, connections, group joins), not recorded
            Plan warm = new Plan(Math.max(1000, plan.events() / 10), 0, plan.warmup(), Math.max(200, plan.latencyEvents() / 5),
                    plan.latencyRate(), Math.max(0, plan.singlePublishEvents() / 10));
            recording = false;
            for (Side side : sides) {
                measure(broker, warm, side, 0);
            }
            recording = true;
            for (int round = 1; round <= plan.rounds(); round++) {
                for (Side side : typed ? rotated(sides, round) : inRoundOrder(sides, round)) {
                    measure(broker, plan, side, round);
                }
            }
            for (Side side : sides) {
                if (side.errors.get() > 0) {
                    throw new IllegalStateException(side.name() + " on " + broker + ": " + side.errors.get() + " failed operations");
                }
            }
            for (Side side : sides) {
                if (side instanceof SwitchboardSide s && s.observability != null) {
                    Observability.Summary summary = s.observability.summary();
                    System.out.println("[" + broker + "] " + side.name() + ": " + summary);
                    instrumentation.add(new String[] {broker, String.valueOf(summary.published()),
                            String.valueOf(summary.handled()), String.valueOf(summary.producerSpans()),
                            String.valueOf(summary.consumerSpans()), String.valueOf(summary.consumerSpansWithParent()),
                            String.valueOf(summary.dropped())});
                    if (summary.problem() != null) {
                        throw new IllegalStateException(side.name() + " on " + broker + ": " + summary.problem());
                    }
                }
            }
        } finally {
            if (sides != null) {
                for (Side side : sides) {
                    try {
                        side.close();
                    } catch (Exception e) {
                        System.out.println("[" + broker + "] closing " + side.name() + ": " + e);
                    }
                }
            }
            switch (broker) {
                case "kafka" -> KafkaBench.cleanUp(kafka, run);
                case "rabbitmq" -> RabbitMqBench.cleanUp(rabbit, run);
                case "sns-sqs" -> SnsSqsBench.cleanUp(aws, run);
                default -> { }
            }
        }
    }

    /**
     * The typed path's order in {@code round}: the sides rotated by one place per round (raw, Switchboard, Spring;
     * then Switchboard, Spring, raw; …), so that no side always runs first or last on a machine whose load drifts.
     */
    static List<Side> rotated(Side[] sides, int round) {
        List<Side> order = new ArrayList<>(Arrays.asList(sides));
        java.util.Collections.rotate(order, -(round - 1));
        return order;
    }

    /**
     * The sides in the order they run in {@code round}: as given, except that the plain and the instrumented
     * Switchboard sides swap places in even rounds.
     */
    static List<Side> inRoundOrder(Side[] sides, int round) {
        List<Side> order = new ArrayList<>(Arrays.asList(sides));
        if (round % 2 == 0) {
            int plain = -1;
            int instrumented = -1;
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i).name().equals(SwitchboardSide.PLAIN)) {
                    plain = i;
                } else if (order.get(i).name().equals(SwitchboardSide.INSTRUMENTED)) {
                    instrumented = i;
                }
            }
            if (plain >= 0 && instrumented >= 0) {
                java.util.Collections.swap(order, plain, instrumented);
            }
        }
        return order;
    }

    private void measure(String broker, Plan plan, Side side, int round) throws Exception {
        String who = side instanceof SwitchboardSide || side.name().equals(SpringKafkaSide.NAME) ? side.name()
                : side.name().startsWith(Side.RAW_WITH_CE_HEADERS) ? side.name() : "raw";
        if (broker.equals("in-memory")) {
            System.gc();
            long cpu = processCpuNanos();
            double rate = InMemoryBench.flow(side, plan.events());
            long flowCpu = processCpuNanos() - cpu;
            record(broker, "publish → handler → ack (events/s)", who, round, rate);
            record(broker, "publish → handler → ack CPU (µs/event)", who, round, flowCpu / 1e3 / plan.events());
        } else {
            System.gc();
            long cpu = processCpuNanos();
            double published = side.publish(plan.events());
            long publishCpu = processCpuNanos() - cpu;
            record(broker, broker.equals("sns-sqs") ? "publish, batches of 10 (events/s)" : "publish (events/s)", who,
                    round, published);
            int toConsume = plan.events();
            if (side instanceof SnsSqsBench.Switchboard sb && plan.singlePublishEvents() > 0) {
                System.gc();
                record(broker, "publish, one publish() per event (events/s)", who, round,
                        sb.publishOneByOne(plan.singlePublishEvents()));
                toConsume += plan.singlePublishEvents();
            }
            System.gc();
            cpu = processCpuNanos();
            record(broker, "consume (events/s)", who, round, side.consume(toConsume, CONSUME_TIMEOUT));
            long consumeCpu = processCpuNanos() - cpu;
            record(broker, "publish CPU (µs/event)", who, round, publishCpu / 1e3 / plan.events());
            record(broker, "consume CPU (µs/event)", who, round, consumeCpu / 1e3 / toConsume);
        }
        System.gc();
        long[] latencies = side.latency(plan.warmup(), plan.latencyEvents(), plan.latencyRate(), CONSUME_TIMEOUT);
        Arrays.sort(latencies);
        record(broker, "latency p50 (ms)", who, round, percentile(latencies, 50) / 1e6);
        record(broker, "latency p99 (ms)", who, round, percentile(latencies, 99) / 1e6);
        record(broker, "latency p99.9 (ms)", who, round, percentile(latencies, 99.9) / 1e6);
    }

    /**
     * CPU time of the whole harness process so far (every thread, GC and JIT included; the brokers are other
     * processes): per event, a figure far steadier than throughput on a shared machine.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private void record(String broker, String metric, String side, int round, double value) {
        if (!recording) {
            System.out.printf(Locale.ROOT, "[%s] warm-up  %-12s %-45s %,.3f%n", broker, side, metric, value);
            return;
        }
        System.out.printf(Locale.ROOT, "[%s] round %d %-12s %-45s %,.3f%n", broker, round, side, metric, value);
        rows.add(new String[] {broker, metric, side, String.valueOf(round), String.format(Locale.ROOT, "%.4f", value)});
    }

    private void write(Path file) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("broker\tmetric\tside\tround\tvalue");
            for (String[] row : rows) {
                w.println(String.join("\t", row));
            }
        }
    }

    private void writeInstrumentation(Path file) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("broker\tpublishes metered\thandler calls metered\tproducer spans exported\tconsumer spans exported"
                    + "\tconsumer spans with the travelled parent\tspans dropped");
            for (String[] row : instrumentation) {
                w.println(String.join("\t", row));
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
