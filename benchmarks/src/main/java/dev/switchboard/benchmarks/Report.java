package dev.switchboard.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Turns {@code harness.tsv} (and {@code jmh.json}, when present) into {@code latest.md} — a table of broker,
 * metric, raw, Switchboard and ratio, with the machine, settings and date on top — and {@code latest.png}, a bar
 * chart of the throughput ratios with the 0.97 target line, drawn with java.awt in headless mode. Below the main
 * table, the instrumentation cost: the instrumented Switchboard side against the plain one, per broker (see
 * {@link #instrumentationCost}).
 *
 * <pre>java -cp … dev.switchboard.benchmarks.Report --results DIR [--mode quick|full] [--commit SHA]</pre>
 */
public final class Report {
    static final double TARGET = 0.97;
    /** The share of explicit batches' rate that single publishes must reach to count as batched. */
    static final double BATCHED_SHARE = 0.8;
    /**
     * Suffix of the rows that compare Switchboard with a raw client writing the same CloudEvents attributes
     * (Kafka {@code ce_} headers, SNS message attributes): the SDK's own cost, without the wire format's.
     */
    static final String WITH_CE_HEADERS = ", against raw sending the same CloudEvents attributes";
    /** The most throughput the instrumented side may lose against the plain one (Kafka and RabbitMQ): 3 %. */
    static final double INSTRUMENTATION_TARGET = 0.03;
    /** Typed path (issue 13): Switchboard against the raw client + Jackson, Kafka and RabbitMQ throughput. */
    static final double TYPED_RAW_TARGET = 0.95;
    /** Typed path (issue 13): Switchboard against Spring for Apache Kafka, publish and consume. */
    static final double SPRING_KAFKA_TARGET = 1.1;

    /**
     * Instrumented against plain Switchboard for one broker and metric: each side's median over rounds, and the
     * median over rounds of the round's ratio instrumented / plain (the two ran in the same round, one right after
     * the other), with the smallest and largest round ratio.
     */
    /**
     * One metric's instrumentation cost; {@code carrierRatio} is, where the broker has that side (Kafka), the median
     * over rounds of raw client with the CloudEvents headers and {@code traceparent} / the same without
     * {@code traceparent}: what carrying the trace context costs the client and broker alone (NaN elsewhere).
     */
    record CostRow(String broker, String metric, double plain, double instrumented, double ratio, double minRatio,
                   double maxRatio, int rounds, double carrierRatio) {
        boolean throughput() {
            return metric.contains("events/s");
        }

        /** The share of throughput lost, or of latency added; negative when the instrumented side did better. */
        double cost() {
            return throughput() ? 1 - ratio : ratio - 1;
        }

        /**
         * The same in time, from the ratio and the plain side's median: µs added per event on a throughput metric
         * (1/rate: time on whatever bounds the run, the busiest thread or the two cores), µs of latency added.
         */
        double addedMicros() {
            if (throughput()) {
                return (1 / ratio - 1) * 1e6 / plain;
            }
            return metric.contains("(µs") ? (ratio - 1) * plain : (ratio - 1) * plain * 1000;
        }
    }

    record Row(String broker, String metric, double raw, double switchboard, int rounds, double spring) {
        Row(String broker, String metric, double raw, double switchboard, int rounds) {
            this(broker, metric, raw, switchboard, rounds, Double.NaN);
        }

        double ratio() {
            return raw > 0 ? switchboard / raw : Double.NaN;
        }

        /** Switchboard / the Spring peer (typed path); NaN without a peer. */
        double springRatio() {
            return spring > 0 ? switchboard / spring : Double.NaN;
        }

        boolean hasPeer() {
            return !Double.isNaN(spring);
        }

        boolean throughput() {
            return metric.contains("events/s");
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path results = Path.of("benchmarks/results");
        String mode = "full";
        String commit = "unknown";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Path.of(args[++i]);
                case "--mode" -> mode = args[++i];
                case "--commit" -> commit = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Row> rows = summarise(results.resolve("harness.tsv"));
        List<String> errors = errors(results.resolve("harness.tsv"));
        String markdown = markdown(rows, errors, jmh(results.resolve("jmh.json")), mode, commit,
                instrumentationMarkdown(instrumentationCost(results.resolve("harness.tsv")),
                        instrumentationTotals(results.resolve("instrumentation.tsv"))));
        Files.writeString(results.resolve("latest.md"), markdown);
        chart(rows, results.resolve("latest.png"), mode);
        System.out.print(markdown);
    }

    /** Median over rounds of each side, per broker and metric, in the order the harness wrote them. */
    static List<Row> summarise(Path tsv) throws IOException {
        Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(tsv).subList(1, Files.readAllLines(tsv).size())) {
            String[] f = line.split("\t");
            if (f[1].equals("error")) {
                continue;
            }
            values.computeIfAbsent(f[0] + "\t" + f[1], k -> new LinkedHashMap<>())
                    .computeIfAbsent(f[2], k -> new ArrayList<>()).add(Double.parseDouble(f[4]));
        }
        List<Row> rows = new ArrayList<>();
        values.forEach((key, bySide) -> {
            String[] k = key.split("\t");
            List<Double> sb = bySide.getOrDefault("switchboard", List.of());
            List<Double> raw = bySide.getOrDefault("raw", List.of());
            if (k[1].startsWith("publish, one publish()")) {
                raw = values.getOrDefault(k[0] + "\tpublish, batches of 10 (events/s)", Map.of()).getOrDefault("raw", List.of());
            }
            List<Double> spring = bySide.get(SpringKafkaSide.NAME);
            rows.add(new Row(k[0], k[1], median(raw), median(sb), sb.size(), spring == null ? Double.NaN : median(spring)));
            List<Double> rawWithHeaders = bySide.get(Side.RAW_WITH_CE_HEADERS);
            if (rawWithHeaders != null && k[1].contains("events/s")) {
                rows.add(new Row(k[0], k[1] + WITH_CE_HEADERS, median(rawWithHeaders), median(sb), sb.size()));
            }
        });
        return rows;
    }

    /**
     * The instrumentation cost per broker: for each throughput metric and latency p50 / p99, the plain and the
     * instrumented Switchboard sides' medians and the median of the rounds' ratios instrumented / plain.
     */
    static List<CostRow> instrumentationCost(Path tsv) throws IOException {
        // broker \t metric -> side -> round -> value
        Map<String, Map<String, Map<Integer, Double>>> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(tsv).stream().skip(1).toList()) {
            String[] f = line.split("\t");
            if (f[1].equals("error")) {
                continue;
            }
            values.computeIfAbsent(f[0] + "\t" + f[1], k -> new LinkedHashMap<>())
                    .computeIfAbsent(f[2], k -> new LinkedHashMap<>()).put(Integer.parseInt(f[3]), Double.parseDouble(f[4]));
        }
        List<CostRow> rows = new ArrayList<>();
        values.forEach((key, bySide) -> {
            String[] k = key.split("\t");
            Map<Integer, Double> plain = bySide.get(SwitchboardSide.PLAIN);
            Map<Integer, Double> instrumented = bySide.get(SwitchboardSide.INSTRUMENTED);
            boolean wanted = k[1].contains("events/s") || k[1].equals("latency p50 (ms)") || k[1].equals("latency p99 (ms)")
                    || k[1].contains("CPU");
            if (!wanted || plain == null || instrumented == null) {
                return;
            }
            List<Double> ratios = new ArrayList<>();
            plain.forEach((round, p) -> {
                Double i = instrumented.get(round);
                if (i != null && p > 0) {
                    ratios.add(i / p);
                }
            });
            rows.add(new CostRow(k[0], k[1], median(new ArrayList<>(plain.values())),
                    median(new ArrayList<>(instrumented.values())), median(ratios),
                    ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), ratios.size(),
                    medianRatio(bySide.get(Side.RAW_WITH_TRACEPARENT), bySide.get(Side.RAW_WITH_CE_HEADERS))));
        });
        return rows;
    }

    /** The median over rounds of {@code numerator / denominator}, NaN if either side is missing. */
    private static double medianRatio(Map<Integer, Double> numerator, Map<Integer, Double> denominator) {
        if (numerator == null || denominator == null) {
            return Double.NaN;
        }
        List<Double> ratios = new ArrayList<>();
        numerator.forEach((round, n) -> {
            Double d = denominator.get(round);
            if (d != null && d > 0) {
                ratios.add(n / d);
            }
        });
        return median(ratios);
    }

    /** The rows of {@code instrumentation.tsv} (what the instrumented side recorded), header first; empty if absent. */
    static List<String[]> instrumentationTotals(Path tsv) throws IOException {
        if (!Files.exists(tsv)) {
            return List.of();
        }
        return Files.readAllLines(tsv).stream().map(l -> l.split("\t")).toList();
    }

    static String instrumentationMarkdown(List<CostRow> rows, List<String[]> totals) {
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder();
        md.append("\n## Instrumentation cost: Switchboard with metrics and traces on, against plain Switchboard\n\n");
        md.append("The instrumented side is the Switchboard side with `SwitchboardMetrics` on a `SimpleMeterRegistry` and"
                + " `SwitchboardTracing` over the OpenTelemetry SDK (" + (Observability.SAMPLING >= 1.0 ? "always-on sampler" : "parent-based sampler recording " + Observability.SAMPLING + " of the traces") + ", `BatchSpanProcessor` with its defaults,"
                + " an exporter that drops every span, W3C trace context); it runs in the same rounds right beside the plain"
                + " side (the two swap places every round). ratio = median over rounds of the round's instrumented / plain;"
                + " cost = 1 − ratio for throughput, ratio − 1 for latency; µs added = the cost in time, from the ratio and"
                + " the plain median: (1/ratio − 1) × 10⁶/plain per event for throughput, (ratio − 1) × plain for latency and CPU. CPU (µs/event): the harness process's CPU time (every thread, GC and JIT; the broker is another process) over the phase, per event — steadier than throughput on a shared machine."
                + " \"raw, + traceparent\" (Kafka): the raw client sending the CloudEvents headers plus a W3C"
                + " `ce_traceparent`, against the same without it (median of the rounds' ratios): what carrying the trace"
                + " context costs the client and broker alone, with no tracing library. Target: ≤ 3 % of throughput on Kafka and"
                + " RabbitMQ (reported, not asserted).\n\n");
        md.append("| broker | metric | Switchboard | instrumented | ratio | rounds' ratios | cost | µs added | raw, + traceparent | target |\n"
                + "|---|---|---:|---:|---:|---|---:|---:|---:|---|\n");
        for (CostRow r : rows) {
            String target;
            if (r.throughput() && (r.broker().equals("kafka") || r.broker().equals("rabbitmq"))) {
                target = "≤ 3 %: " + (r.cost() <= INSTRUMENTATION_TARGET ? "met" : "**missed**");
            } else {
                target = r.throughput() ? "(reported)" : "(reported; lower is better)";
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f | %.2f–%.2f (%d) | %+.1f %% | %+.2f | %s | %s |%n",
                    r.broker(), r.metric(), number(r.plain()), number(r.instrumented()), r.ratio(), r.minRatio(),
                    r.maxRatio(), r.rounds(), 100 * r.cost(), r.addedMicros(),
                    Double.isNaN(r.carrierRatio()) ? "–" : String.format(Locale.ROOT, "%.3f", r.carrierRatio()), target));
        }
        if (totals.size() > 1) {
            md.append("\nWhat the instrumented side recorded over each broker's run (warm-up included; spans counted by the"
                    + " exporter, which then drops them):\n\n| ");
            md.append(String.join(" | ", totals.get(0))).append(" |\n|---|");
            md.append("---:|".repeat(totals.get(0).length - 1)).append('\n');
            for (String[] row : totals.subList(1, totals.size())) {
                md.append("| ").append(row[0]);
                for (int i = 1; i < row.length; i++) {
                    md.append(" | ").append(String.format(Locale.ROOT, "%,d", Long.parseLong(row[i])));
                }
                md.append(" |\n");
            }
        }
        return md.toString();
    }

    /**
     * Single {@code publish()} calls count as batched by default when they reach most of the rate of Switchboard's
     * own explicit batches of 10 (unbatched, each call is its own request: 0.15 of it before batching existed).
     */
    private static String batchedByDefault(Row single, List<Row> rows) {
        double batches = rows.stream().filter(r -> r.broker().equals(single.broker()))
                .filter(r -> r.metric().equals("publish, batches of 10 (events/s)")).mapToDouble(Row::switchboard)
                .findFirst().orElse(Double.NaN);
        double share = single.switchboard() / batches;
        return String.format(Locale.ROOT, "batched by default: %s (%.2f of Switchboard's explicit batches)",
                share >= BATCHED_SHARE ? "met" : "**missed**", share);
    }

    static List<String> errors(Path tsv) throws IOException {
        return Files.readAllLines(tsv).stream().skip(1).map(l -> l.split("\t")).filter(f -> f[1].equals("error"))
                .map(f -> f[0] + ": " + f[4]).toList();
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** benchmark → "score ± error unit". */
    static Map<String, String> jmh(Path json) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.exists(json)) {
            return out;
        }
        for (JsonNode b : new ObjectMapper().readTree(json.toFile())) {
            String name = b.get("benchmark").asText().replace("dev.switchboard.benchmarks.jmh.", "");
            JsonNode params = b.get("params");
            if (params != null && params.size() > 0) {
                List<String> values = new ArrayList<>();
                params.fields().forEachRemaining(p -> values.add(p.getKey() + "=" + p.getValue().asText()));
                name += " (" + String.join(", ", values) + ")";
            }
            JsonNode m = b.get("primaryMetric");
            double score = m.get("score").asDouble();
            double error = m.get("scoreError").isNumber() ? m.get("scoreError").asDouble() : Double.NaN;
            out.put(name, String.format(Locale.ROOT, "%s ± %s %s", number(score), number(error), m.get("scoreUnit").asText()));
        }
        return out;
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** The whole of {@code latest.md}; {@code instrumentation} (a section of its own, or empty) goes before the chart. */
    static String markdown(List<Row> rows, List<String> errors, Map<String, String> jmh, String mode, String commit,
                           String instrumentation) {
        StringBuilder md = new StringBuilder();
        md.append(rows.stream().anyMatch(Row::hasPeer) ? "# Switchboard vs the raw clients and the Spring peers — "
                : "# Switchboard vs the raw clients — ").append(mode).append(" run\n\n");
        md.append("- date: ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(", commit `").append(commit).append("`\n");
        md.append("- machine: ").append(machine()).append('\n');
        md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(", harness JVM -Xms1g -Xmx3g G1; JMH forks -Xmx1g\n");
        md.append("- brokers: Kafka 4.4.0 (1 KRaft node), RabbitMQ 3.10 (1 node, quorum queues), fauxqs SNS/SQS emulator,"
                + " all on 127.0.0.1 of the same machine as the harness\n");
        if (rows.stream().noneMatch(Row::hasPeer)) {
            md.append("- events: 1 KiB JSON; raw and Switchboard interleaved in one run (raw, Switchboard, raw, Switchboard…);"
                    + " each figure is the median over rounds; ratio = Switchboard / raw\n");
        }
        md.append("- settings: see `benchmarks/README.md` (Kafka acks=all, idempotent, linger.ms=5, batch.size=65536, 3 partitions;"
                + " RabbitMQ quorum queue, persistent, async confirms ≤1000 outstanding, manual ack, prefetch 250"
                + " (Switchboard concurrency 1 × prefetch 250); SNS PublishBatch of 10, SQS receive 10 + DeleteMessageBatch)\n\n");
        if (rows.stream().anyMatch(Row::hasPeer)) {
            typedTable(md, rows);
        } else {
            table(md, rows);
        }
        if (!errors.isEmpty()) {
            md.append("\nFailed: ").append(String.join("; ", errors)).append('\n');
        }
        if (!jmh.isEmpty()) {
            md.append("\n| JMH benchmark | score |\n|---|---:|\n");
            jmh.forEach((name, score) -> md.append("| ").append(name).append(" | ").append(score).append(" |\n"));
            md.append("\nTargets: `EnvelopeCodecBenchmark.encodeDecode` ≤ 1 µs (1000 ns/op);"
                    + " `InMemoryPathBenchmark.publishHandleAck` ≥ 1,000,000 ops/s (one op = one event).\n");
        }
        md.append(instrumentation);
        md.append("\n![ratios](latest.png)\n");
        return md.toString();
    }

    /**
     * The typed path against the peers (issue 13): raw client + Jackson, Switchboard's typed API and the Spring
     * peer, with both ratios; targets: Switchboard ≥ 0.95 of raw on Kafka and RabbitMQ throughput, ≥ 1.1× Spring
     * for Apache Kafka on publish and consume.
     */
    static void typedTable(StringBuilder md, List<Row> rows) {
        md.append("Typed path: every side writes a `BenchEvent` record (~1 KiB of JSON) with Jackson on publish and reads"
                + " it back with Jackson in the handler — raw client + ObjectMapper, Switchboard `publish(topic, event)` /"
                + " `on(BenchEvent.class, …)`, Spring for Apache Kafka (`KafkaTemplate`, listener container, Spring's"
                + " `JsonSerializer`/`JsonDeserializer`), Spring AMQP (`RabbitTemplate` with correlated confirms,"
                + " `SimpleMessageListenerContainer`, `Jackson2JsonMessageConverter`) — and the raw client + Jackson"
                + " also sending the CloudEvents attributes Switchboard sends (rows \"against raw sending the same"
                + " CloudEvents attributes\": the wire format's cost, whoever writes it). The sides run one after"
                + " the other in every round, their order rotated by one place per round; each figure is the median over rounds. Same settings on every side"
                + " (see `benchmarks/README.md`, \"Peers\"): Kafka acks=all, idempotent, linger 5 ms, batch 64 KiB, 3"
                + " partitions, ≤ 20 000 unconfirmed sends, one consumer thread, 500 records per poll, async commits after"
                + " each poll; RabbitMQ quorum queue, persistent, mandatory, confirms ≤ 1000 outstanding, one consumer,"
                + " prefetch 250, one ack per message after the handler.\n\n");
        md.append("| broker | metric | raw + Jackson | Switchboard | Spring | Switchboard / raw | Switchboard / Spring | target |\n"
                + "|---|---|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            if (r.metric().endsWith(WITH_CE_HEADERS)) {
                // raw = the raw client + Jackson sending the CloudEvents attributes: the wire format's floor
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | – | %.2f | – | (reported: what the CloudEvents"
                        + " attributes cost; the raw client with them is %.2f of Spring) |%n", r.broker(), r.metric(),
                        number(r.raw()), number(r.switchboard()), r.ratio(), springOf(rows, r) > 0
                                ? r.raw() / springOf(rows, r) : Double.NaN));
                continue;
            }
            List<String> targets = new ArrayList<>();
            if (r.throughput()) {
                targets.add("≥ 0.95 of raw: " + (r.ratio() >= TYPED_RAW_TARGET ? "met" : "**missed**"));
                if (r.broker().equals("kafka")) {
                    targets.add("≥ 1.1× Spring: " + (r.springRatio() >= SPRING_KAFKA_TARGET ? "met" : "**missed**"));
                }
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2f | %.2f | %s |%n", r.broker(), r.metric(),
                    number(r.raw()), number(r.switchboard()), number(r.spring()), r.ratio(), r.springRatio(),
                    targets.isEmpty() ? "(reported; lower is better)" : String.join("; ", targets)));
        }
    }

    /** The Spring side's figure of the metric {@code r} (a row against raw + CloudEvents attributes) qualifies. */
    private static double springOf(List<Row> rows, Row r) {
        String metric = r.metric().substring(0, r.metric().length() - WITH_CE_HEADERS.length());
        return rows.stream().filter(o -> o.broker().equals(r.broker()) && o.metric().equals(metric))
                .mapToDouble(Row::spring).findFirst().orElse(Double.NaN);
    }

    static void table(StringBuilder md, List<Row> rows) {
        md.append("| broker | metric | raw | Switchboard | ratio | target |\n|---|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            String target;
            if (r.metric().endsWith(WITH_CE_HEADERS)) {
                target = "(reported: the SDK's cost alone)";
            } else if (r.broker().equals("in-memory") && r.throughput()) {
                target = "Switchboard ≥ 1,000,000/s: " + (r.switchboard() >= 1_000_000 ? "met" : "**missed**");
            } else if (r.throughput() && (r.broker().equals("kafka") || r.broker().equals("rabbitmq"))) {
                target = "≥ 0.97: " + (r.ratio() >= TARGET ? "met" : "**missed**");
            } else if (r.metric().startsWith("publish, one publish()")) {
                target = batchedByDefault(r, rows);
            } else {
                target = r.throughput() ? "(reported)" : "(reported; lower is better)";
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %s |%n", r.broker(),
                    r.broker().equals("in-memory") && r.throughput() ? r.metric() + " — raw = queue hand-off" : r.metric(),
                    number(r.raw()), number(r.switchboard()), r.ratio(), target));
        }
    }

    static String machine() {
        String cpu = "unknown CPU";
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) {
                    memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return String.format(Locale.ROOT, "%d cores (%s), %.0f GiB RAM, %s %s", Runtime.getRuntime().availableProcessors(),
                cpu, memKb / 1024.0 / 1024.0, System.getProperty("os.name"), System.getProperty("os.version"));
    }

    /** One bar of the chart: a label, a ratio, the target it is graded against (NaN: reported only). */
    record Bar(String label, double ratio, double target) {
    }

    /**
     * The chart's bars: Switchboard / raw for every throughput metric (graded against 0.97 on Kafka and
     * RabbitMQ); on the typed path, Switchboard / raw + Jackson (0.95) and Switchboard / Spring (1.1 on Kafka,
     * reported on RabbitMQ) for each.
     */
    static List<Bar> bars(List<Row> rows) {
        List<Bar> bars = new ArrayList<>();
        for (Row r : rows) {
            if (!r.throughput() || Double.isNaN(r.ratio())) {
                continue;
            }
            String label = r.broker() + " · " + r.metric().replace(" (events/s)", "").replace(WITH_CE_HEADERS, " vs raw + CE attributes");
            if (r.hasPeer()) {
                bars.add(new Bar(label + " vs raw + Jackson", r.ratio(), TYPED_RAW_TARGET));
                bars.add(new Bar(label + " vs Spring", r.springRatio(),
                        r.broker().equals("kafka") ? SPRING_KAFKA_TARGET : Double.NaN));
            } else {
                // only the ≥ 0.97 targets are graded; SNS/SQS (its batching verdict is in the table) and the
                // rows against raw + CloudEvents attributes are reported
                boolean graded = (r.broker().equals("kafka") || r.broker().equals("rabbitmq"))
                        && !r.metric().endsWith(WITH_CE_HEADERS);
                bars.add(new Bar(label, r.ratio(), graded ? TARGET : Double.NaN));
            }
        }
        return bars;
    }

    /** Horizontal bars of the ratios, each graded bar with its target as a dashed tick across its row. */
    static void chart(List<Row> rows, Path png, String mode) throws IOException {
        List<Bar> bars = bars(rows);
        boolean typed = rows.stream().anyMatch(Row::hasPeer);
        int left = 430;
        int barHeight = 26;
        int gap = 10;
        int top = 60;
        int plotWidth = 520;
        int width = left + plotWidth + 90;
        int height = top + Math.max(1, bars.size()) * (barHeight + gap) + 60;
        double max = Math.max(1.3, bars.stream().mapToDouble(Bar::ratio).filter(d -> !Double.isNaN(d)).max().orElse(1.0) * 1.1);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(typed ? "Switchboard / raw client + Jackson and / Spring, throughput (" + mode + " run)"
                : "Switchboard / raw client, throughput (" + mode + " run; in-memory vs a queue hand-off)", 20, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        BasicStroke dashed = new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = top + i * (barHeight + gap);
            g.setColor(Color.BLACK);
            g.drawString(b.label(), 10, y + barHeight - 8);
            int w = (int) Math.round(b.ratio() / max * plotWidth);
            boolean graded = !Double.isNaN(b.target());
            g.setColor(!graded ? new Color(0x757575) : b.ratio() >= b.target() ? new Color(0x2E7D32) : new Color(0xC62828));
            g.fillRect(left, y, Math.max(1, w), barHeight);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.2f", b.ratio()), left + w + 6, y + barHeight - 8);
            if (graded) {
                int targetX = left + (int) Math.round(b.target() / max * plotWidth);
                Stroke plain = g.getStroke();
                g.setColor(new Color(0x1565C0));
                g.setStroke(dashed);
                g.drawLine(targetX, y - 3, targetX, y + barHeight + 3);
                g.setStroke(plain);
            }
        }
        int axisY = top + bars.size() * (barHeight + gap);
        g.setColor(Color.BLACK);
        g.drawLine(left, top - 5, left, axisY);
        g.drawLine(left, axisY, left + plotWidth, axisY);
        for (double t = 0; t <= max + 1e-9; t += 0.2) {
            int x = left + (int) Math.round(t / max * plotWidth);
            g.drawLine(x, axisY, x, axisY + 4);
            g.drawString(String.format(Locale.ROOT, "%.1f", t), x - 8, axisY + 18);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString(typed ? "blue dashes: the row's target (0.95 of raw; 1.1× Spring on Kafka)   green: met   red: missed   grey: reported"
                : "blue dashes: target 0.97   green: met   red: below target   grey: reported only", 10, axisY + 40);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }
}
