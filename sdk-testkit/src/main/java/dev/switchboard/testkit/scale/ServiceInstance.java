package dev.switchboard.testkit.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ServiceInstanceMain} in its own JVM, started with this JVM's class path (so with the adapter under
 * test), and what it has handled so far. Its standard error goes to {@code <name>.log} in the work directory, the
 * rest of its standard output (its log lines) to {@code <name>.out}. Thread-safe.
 *
 * @since 0.2
 */
public final class ServiceInstance implements AutoCloseable {
    /** One event as an instance handled it: when (its clock, the same machine's), which, with what data. */
    public record Handled(String instance, long epochMillis, String eventId, String data) {
    }

    private final String name;
    private final Process process;
    private final List<Handled> handled = new CopyOnWriteArrayList<>();
    private final List<String> otherOutput = new CopyOnWriteArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);

    private final Path output;

    private ServiceInstance(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
        Thread reader = new Thread(this::readOutput, "service-instance-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts an instance that subscribes to {@code topic} in {@code group} with {@code config} and spends
     * {@code handling} on each event, and waits until it has subscribed.
     */
    public static ServiceInstance start(String name, Map<String, String> config, String topic, String group,
                                        Duration handling, Path workDir) {
        return start(name, config, topic, group, handling, workDir, null);
    }

    /** {@link #start}, with a handler that halts the JVM on an event whose data is {@code haltOn}. */
    public static ServiceInstance start(String name, Map<String, String> config, String topic, String group,
                                        Duration handling, Path workDir, String haltOn) {
        try {
            Path properties = workDir.resolve(name + ".properties");
            Properties values = new Properties();
            values.putAll(config);
            try (Writer writer = Files.newBufferedWriter(properties)) {
                values.store(writer, "service instance " + name);
            }
            Path log = workDir.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), ServiceInstanceMain.class.getName(),
                    properties.toString(), topic, group, Long.toString(handling.toMillis())));
            if (haltOn != null) {
                command.add(haltOn);
            }
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            ServiceInstance instance = new ServiceInstance(name, process, workDir.resolve(name + ".out"));
            if (!instance.ready.await(60, TimeUnit.SECONDS)) {
                instance.kill();
                throw new IllegalStateException("service instance " + name + " did not subscribe within 60 s; its log: "
                        + log + "\n" + String.join("\n", instance.otherOutput));
            }
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    /** What it has handled so far, in the order it printed it. */
    public List<Handled> handled() {
        return List.copyOf(handled);
    }

    /** Whether the process ended (by itself: a halt) within {@code timeout}. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Lines it printed that were not handled events (such as {@code HALT <id> attempt <n>}). */
    public List<String> otherOutput() {
        return List.copyOf(otherOutput);
    }

    /** SIGKILL: the JVM stops where it is, nothing is closed. Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: the instance closes its {@code Messaging} (a drain) and exits. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            awaitExit();
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.equals("READY")) {
                    ready.countDown();
                } else if (line.startsWith("H ")) {
                    String[] parts = line.split(" ", 4);
                    handled.add(new Handled(name, Long.parseLong(parts[1]), parts[2], parts.length > 3 ? parts[3] : ""));
                } else {
                    otherOutput.add(line);
                    Files.writeString(output, line + System.lineSeparator(), StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            }
        } catch (IOException e) {
            // the process died: what it printed so far stays
        }
    }
}
