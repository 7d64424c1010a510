package dev.switchboard.benchmarks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the harness: the hottest methods by CPU samples (self and inclusive), restricted
 * to threads whose name matches a filter, and the top allocation sites (by sampled weight), so that a
 * bottleneck in Switchboard can be named by file and method. Samples whose stack passes through the
 * instrumentation (the core's {@code Observers}, the Micrometer and OpenTelemetry modules and libraries, the
 * batch span processor's thread) are also summarised on their own: what the instrumented side adds.
 *
 * <pre>java -cp … dev.switchboard.benchmarks.JfrSummary recording.jfr [thread-name-substring] [top]</pre>
 */
public final class JfrSummary {
    private JfrSummary() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String threadFilter = args.length > 1 ? args[1] : "";
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> allocSelf = new HashMap<>();
        Map<String, Long> allocSwitchboard = new HashMap<>();
        Map<String, Long> allocClass = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        long samples = 0;
        long allocTotal = 0;
        Predicate<String> sb = f -> f.startsWith("dev.switchboard.") && !f.startsWith("dev.switchboard.benchmarks.");
        Map<String, Long> instrSelf = new HashMap<>();
        Map<String, Long> instrInclusive = new HashMap<>();
        Map<String, Long> instrEntry = new HashMap<>();
        Map<String, Long> instrAlloc = new HashMap<>();
        long instrSamples = 0;
        long instrAllocTotal = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            boolean cpu = type.equals("jdk.ExecutionSample");
            boolean alloc = type.equals("jdk.ObjectAllocationSample");
            if (!cpu && !alloc || e.getStackTrace() == null) {
                continue;
            }
            String thread = e.hasField("sampledThread") && e.getThread("sampledThread") != null
                    ? e.getThread("sampledThread").getJavaName()
                    : e.hasField("eventThread") && e.getThread() != null ? e.getThread().getJavaName() : "?";
            if (thread == null || !thread.contains(threadFilter)) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            boolean instrumented = thread.startsWith("BatchSpanProcessor")
                    || frames.stream().anyMatch(f -> isInstrumentation(name(f)));
            if (instrumented && cpu) {
                instrSamples++;
                instrSelf.merge(name(frames.get(0)), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                String entry = thread.startsWith("BatchSpanProcessor") ? "(BatchSpanProcessor worker thread)" : null;
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (isInstrumentation(n)) {
                        if (seen.add(n)) {
                            instrInclusive.merge(n, 1L, Long::sum);
                        }
                        if (n.startsWith("dev.switchboard.") && entry == null) {
                            entry = n; // the innermost Switchboard frame of the instrumentation (refined below)
                        }
                    }
                }
                // the outermost instrumentation frame: where the runtime called into it
                for (int i = frames.size() - 1; i >= 0 && !thread.startsWith("BatchSpanProcessor"); i--) {
                    String n = name(frames.get(i));
                    if (isInstrumentation(n)) {
                        entry = n;
                        break;
                    }
                }
                instrEntry.merge(entry == null ? "?" : entry, 1L, Long::sum);
            } else if (instrumented) {
                long weight = e.getLong("weight");
                instrAllocTotal += weight;
                instrAlloc.merge(name(frames.get(0)) + " → " + e.getClass("objectClass").getName(), weight, Long::sum);
            }
            if (cpu) {
                samples++;
                threads.merge(thread.replaceAll("[0-9]+", "N"), 1L, Long::sum);
                self.merge(name(frames.get(0)), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (seen.add(n)) {
                        inclusive.merge(n, 1L, Long::sum);
                    }
                }
            } else {
                long weight = e.getLong("weight");
                allocTotal += weight;
                allocClass.merge(e.getClass("objectClass").getName(), weight, Long::sum);
                allocSelf.merge(name(frames.get(0)) + " → " + e.getClass("objectClass").getName(), weight, Long::sum);
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (sb.test(n)) {
                        allocSwitchboard.merge(n + ":" + f.getLineNumber() + " → " + e.getClass("objectClass").getName(),
                                weight, Long::sum);
                        break;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d CPU samples on threads matching '%s'%n", file.getFileName(), samples, threadFilter);
        print("CPU samples by thread", threads, samples, top);
        print("CPU, self (top frame)", self, samples, top);
        print("CPU, inclusive, Switchboard methods", filter(inclusive, sb), samples, top);
        System.out.printf(Locale.ROOT, "%nallocation samples: %.1f MiB sampled weight%n", allocTotal / 1048576.0);
        print("allocations by class", allocClass, allocTotal, 12);
        print("allocations by first Switchboard frame (file line → class)", allocSwitchboard, allocTotal, top);
        System.out.printf(Locale.ROOT, "%ninstrumentation: %d CPU samples (%.1f%% of the filtered samples),"
                + " %.1f MiB sampled allocations (%.1f%%)%n", instrSamples, 100.0 * instrSamples / Math.max(1, samples),
                instrAllocTotal / 1048576.0, 100.0 * instrAllocTotal / Math.max(1, allocTotal));
        print("instrumentation CPU by entry point (outermost hook frame; % of all filtered samples)", instrEntry, samples, top);
        print("instrumentation CPU, inclusive (% of all filtered samples)", instrInclusive, samples, top);
        print("instrumentation CPU, self (top frame; % of all filtered samples)", instrSelf, samples, top);
        print("instrumentation allocations (top frame → class; % of all sampled allocations)", instrAlloc, allocTotal, top);
    }

    /** A frame of the instrumentation path: the core's hook fan-out, the two modules, the two libraries. */
    static boolean isInstrumentation(String frame) {
        return frame.startsWith("dev.switchboard.internal.Observers") || frame.startsWith("dev.switchboard.micrometer.")
                || frame.startsWith("dev.switchboard.opentelemetry.") || frame.startsWith("io.opentelemetry.")
                || frame.startsWith("io.micrometer.") || frame.startsWith("dev.switchboard.internal.publish.OutgoingEvent")
                || frame.startsWith("dev.switchboard.internal.publish.PublishPipeline.observed")
                || frame.startsWith("dev.switchboard.internal.publish.PublishPipeline.lambda$observed");
    }

    private static Map<String, Long> filter(Map<String, Long> map, Predicate<String> keep) {
        Map<String, Long> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (keep.test(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Long> counts, long total, int top) {
        System.out.println();
        System.out.println("== " + title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(en -> System.out.printf(Locale.ROOT, "%6.1f%%  %s%n", 100.0 * en.getValue() / Math.max(1, total), en.getKey()));
    }
}
