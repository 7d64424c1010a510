package dev.switchboard.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects {@link OutboxBench}'s figures and writes {@code outbox.md} (settings, machine, load average, every round
 * and the medians), {@code throughput.tsv} (every measurement) and {@code latency.tsv} (every event's latency), and
 * prints the markdown. Round 0 is the warm-up: in the TSV files, not in the tables.
 */
final class OutboxReport {
    private record Throughput(int round, String side, int batch, int events, OutboxLoad.Result result) {
    }

    private record Latency(int round, String side, OutboxLatency.Pass pass) {
    }

    private final OutboxBench.Plan plan;
    private final String mode;
    private final String commit;
    private final Instant started;
    final String loadAtStart;
    String loadAtEnd = "?";
    String database = "?";
    /** What ended the run early, or null: the tables then hold the rounds that completed. */
    String failure;
    private final List<Throughput> throughput = new ArrayList<>();
    private final List<Latency> latency = new ArrayList<>();
    private final Map<Integer, String> loadAfterRound = new TreeMap<>();

    OutboxReport(OutboxBench.Plan plan, String mode, String commit, Instant started, String loadAtStart) {
        this.plan = plan;
        this.mode = mode;
        this.commit = commit;
        this.started = started;
        this.loadAtStart = loadAtStart;
    }

    /** The first three fields of {@code /proc/loadavg} (1, 5 and 15 minutes), or "?" off Linux. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    void throughput(int round, String side, int batch, int events, OutboxLoad.Result result) {
        throughput.add(new Throughput(round, side, batch, events, result));
        System.out.printf(Locale.ROOT, "[outbox] %s %-9s unit %2d: %,d events in %.2f s = %,.0f events/s%s%n",
                round == 0 ? "warm-up" : "round " + round, side, batch, events, result.seconds(), result.eventsPerSecond(),
                side.equals("outbox") ? String.format(Locale.ROOT, " (writers %,.0f/s; %,d rows waiting at the last commit)",
                        result.commitsPerSecond(), result.pendingAtLastCommit()) : "");
    }

    void latency(int round, String side, OutboxLatency.Pass pass) {
        latency.add(new Latency(round, side, pass));
        long[] call = sorted(pass.fromCall());
        System.out.printf(Locale.ROOT, "[outbox] %s latency %-6s p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                round == 0 ? "warm-up" : "round " + round, side, ms(percentile(call, 50)), ms(percentile(call, 99)),
                ms(call[call.length - 1]));
    }

    void roundEnded(int round, String load) {
        loadAfterRound.put(round, load);
    }

    void write(Path out) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("throughput.tsv")))) {
            w.println("round\tside\tunit (events per transaction or publish)\tevents\tseconds\tevents/s"
                    + "\twriters' events/s (to the last commit)\trows waiting at the last commit");
            for (Throughput t : throughput) {
                w.printf(Locale.ROOT, "%d\t%s\t%d\t%d\t%.4f\t%.1f\t%.1f\t%d%n", t.round, t.side, t.batch, t.events,
                        t.result.seconds(), t.result.eventsPerSecond(), t.result.commitsPerSecond(), t.result.pendingAtLastCommit());
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("latency.tsv")))) {
            w.println("round\tside\tseq\tfrom the call (ns)\tfrom the call's return (ns)");
            for (Latency l : latency) {
                for (int i = 0; i < l.pass.fromCall().length; i++) {
                    w.printf(Locale.ROOT, "%d\t%s\t%d\t%d\t%d%n", l.round, l.side, i, l.pass.fromCall()[i], l.pass.fromReturn()[i]);
                }
            }
        }
        String md = markdown();
        Files.writeString(out.resolve("outbox.md"), md);
        System.out.println(md);
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Transactional outbox, PostgreSQL → Kafka, against direct publishing\n\n");
        md.append("- date: ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
                .format(started)).append(", commit `").append(commit).append("`, ").append(mode).append(" run (`benchmarks/outbox.sh")
                .append(mode.equals("quick") ? " --quick" : "").append("`)\n");
        md.append("- machine: ").append(Report.machine()).append("; PostgreSQL, Kafka and this JVM share it, and other"
                + " engineers' builds and tests may run on it too: load average (1 / 5 / 15 min) ").append(loadAtStart)
                .append(" at the start, ").append(loadAtEnd).append(" at the end, after each round ")
                .append(loadAfterRound.entrySet().stream().filter(e -> e.getKey() > 0).map(e -> "R" + e.getKey() + " " + e.getValue())
                        .reduce((a, b) -> a + ", " + b).orElse("-")).append('\n');
        md.append("- database: ").append(database).append(", a schema of this run's own (dropped at the end); Kafka 1 node"
                + " on 127.0.0.1, topics of this run's own with ").append(KafkaBench.PARTITIONS).append(" partitions (deleted at the end);"
                + " one `Messaging` (Switchboard's Kafka defaults: acks=all, idempotent, linger.ms=5, batch.size=65536) for the"
                + " relay, the direct publishes and the latency consumers\n");
        md.append(String.format(Locale.ROOT, "- events: 1 KiB JSON, partition key `key-<seq %% %,d>`; %d writer threads;"
                        + " one `OutboxRelay` (batchSize %d, LISTEN/NOTIFY); %,d events per measurement in units of %d, %,d in"
                        + " units of 1; %d rounds after an unrecorded warm-up round (a tenth of the events), outbox and direct"
                        + " swapping places every round (odd rounds outbox first)%n", plan.keys(), plan.writers(), plan.relayBatch(),
                plan.events(), plan.batch(), plan.singleEvents(), plan.rounds()));
        md.append("- outbox: each writer, on its own connection, `Outbox.publishAll` (unit of 1: `publish`) + `commit()` per"
                + " unit; events/s from the first transaction's start until the relay's `stats().relayed()` (rows the broker"
                + " confirmed, then deleted) has grown by the events written; afterwards the outbox is checked empty and nothing"
                + " parked. direct: each writer `publisher().publishAll(topic, unit)` (unit of 1: `publish`) and waits for the"
                + " confirmation before its next unit, as a service publishing in its request would; events/s from the first"
                + " publish to the last confirmation. pipelined: the broker's ceiling for this publisher, one thread, `publish()`"
                + " per event, ≤ " + String.format(Locale.ROOT, "%,d", OutboxLoad.MAX_OUTSTANDING) + " unconfirmed\n");
        md.append(String.format(Locale.ROOT, "- idle latency: %d events per side and round, one at a time, %d ms apart"
                        + " (after %d warm-up events); outbox: each committed alone (`publish` + `commit()`); direct: `publish()`"
                        + " (not awaited); a Switchboard consumer per topic (own group, concurrency 1, prefetch 500) notes the"
                        + " arrival; one JVM, `System.nanoTime`%n%n", plan.latencyEvents(), plan.spacing().toMillis(),
                plan.latencyWarmup()));

        if (failure != null) {
            md.append("**FAILED**: ").append(failure.replace('\n', ' ')).append(" — the tables hold the ")
                    .append(complete().size()).append(" rounds that completed; the TSV files everything measured\n\n");
        }
        if (complete().isEmpty()) {
            return md.append("No round completed.\n").toString();
        }
        md.append("## Throughput (events/s, commit or publish → broker confirmation)\n\n");
        md.append("| round | unit | outbox | direct | outbox / direct | outbox writers alone (to the last commit) | rows waiting at the last commit | pipelined ceiling |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int batch : new int[] {plan.batch(), 1}) {
            List<Double> outbox = new ArrayList<>();
            List<Double> direct = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            List<Double> writers = new ArrayList<>();
            List<Double> waiting = new ArrayList<>();
            List<Double> ceiling = new ArrayList<>();
            for (int round : complete()) {
                OutboxLoad.Result o = find(round, "outbox", batch);
                OutboxLoad.Result d = find(round, "direct", batch);
                OutboxLoad.Result p = find(round, "pipelined", 1);
                outbox.add(o.eventsPerSecond());
                direct.add(d.eventsPerSecond());
                ratios.add(o.eventsPerSecond() / d.eventsPerSecond());
                writers.add(o.commitsPerSecond());
                waiting.add((double) o.pendingAtLastCommit());
                ceiling.add(p.eventsPerSecond());
                md.append(String.format(Locale.ROOT, "| R%d | %d | %,.0f | %,.0f | %.2f | %,.0f | %,d | %,.0f |%n", round, batch,
                        o.eventsPerSecond(), d.eventsPerSecond(), ratios.get(ratios.size() - 1), o.commitsPerSecond(),
                        o.pendingAtLastCommit(), p.eventsPerSecond()));
            }
            md.append(String.format(Locale.ROOT, "| **median** | %d | **%,.0f** | **%,.0f** | **%.2f** | %,.0f | %,.0f | %,.0f |%n",
                    batch, median(outbox), median(direct), median(ratios), median(writers), median(waiting), median(ceiling)));
        }
        md.append("\nRatio: each round's outbox / direct (measured minutes apart in the same round); its median is the"
                + " median of those ratios. The pipelined ceiling is the same in both units' rows (one measurement per round).\n\n");

        md.append("## Idle latency (ms, call → consumed)\n\n");
        md.append("| round | outbox, commit returned → consumed p50 / p99 / max | outbox, transaction start → consumed p50 / p99 / max"
                + " | direct, publish() → consumed p50 / p99 / max | added by the outbox p50 / p99 |\n");
        md.append("|---|---|---|---|---|\n");
        List<long[]> allOutboxReturn = new ArrayList<>();
        List<long[]> allOutboxCall = new ArrayList<>();
        List<long[]> allDirect = new ArrayList<>();
        for (int round : complete()) {
            long[] outboxReturn = sorted(pass(round, "outbox").fromReturn());
            long[] outboxCall = sorted(pass(round, "outbox").fromCall());
            long[] direct = sorted(pass(round, "direct").fromCall());
            allOutboxReturn.add(outboxReturn);
            allOutboxCall.add(outboxCall);
            allDirect.add(direct);
            md.append("| R").append(round).append(latencyRow(outboxReturn, outboxCall, direct));
        }
        md.append("| **all rounds pooled**").append(latencyRow(pooled(allOutboxReturn), pooled(allOutboxCall), pooled(allDirect)));
        md.append("\nAdded by the outbox: outbox (commit returned → consumed) minus direct (publish() → consumed), at the same"
                + " percentile. \"Transaction start\" adds the insert, the NOTIFY and the commit themselves (the payload's stamp"
                + " is taken just before the insert).\n");
        return md.toString();
    }

    private static String latencyRow(long[] outboxReturn, long[] outboxCall, long[] direct) {
        return String.format(Locale.ROOT, " | %s | %s | %s | %+.2f / %+.2f |%n", triple(outboxReturn), triple(outboxCall),
                triple(direct), ms(percentile(outboxReturn, 50) - percentile(direct, 50)),
                ms(percentile(outboxReturn, 99) - percentile(direct, 99)));
    }

    private static String triple(long[] sorted) {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", ms(percentile(sorted, 50)), ms(percentile(sorted, 99)),
                ms(sorted[sorted.length - 1]));
    }

    /** The recorded rounds that finished (their idle latency, measured last, on both sides). */
    private List<Integer> complete() {
        return latency.stream().filter(l -> l.round > 0 && l.side.equals("direct")).map(Latency::round)
                .filter(round -> latency.stream().anyMatch(l -> l.round == round && l.side.equals("outbox")))
                .sorted().toList();
    }

    private OutboxLoad.Result find(int round, String side, int batch) {
        return throughput.stream().filter(t -> t.round == round && t.side.equals(side) && t.batch == batch).findFirst()
                .orElseThrow().result;
    }

    private OutboxLatency.Pass pass(int round, String side) {
        return latency.stream().filter(l -> l.round == round && l.side.equals(side)).findFirst().orElseThrow().pass;
    }

    private static long[] pooled(List<long[]> parts) {
        return sorted(parts.stream().flatMapToLong(Arrays::stream).toArray());
    }

    private static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    private static double percentile(long[] sorted, double p) {
        return Harness.percentile(sorted, p);
    }

    private static double ms(double nanos) {
        return nanos / 1e6;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
