package dev.switchboard.examples.checkout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * The orders service as a process of its own: {@link CheckoutApp} {@code --service orders} in a JVM started with
 * this JVM's class path, the broker given as system properties. Its standard output is kept (see {@link #output()}),
 * its log goes to {@code <name>.log} in the data directory.
 */
final class OrdersProcess {
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private OrdersProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "orders-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts it; {@code extra} are more options, such as {@code --crash-after-commit 20}. */
    static OrdersProcess start(String name, Map<String, String> broker, Databases databases, String namespace,
                               String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        broker.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CheckoutApp.class.getName(),
                "--service", "orders", "--namespace", namespace, "--data-dir", databases.dataDir().toString()));
        if (databases.postgresUrl() != null) {
            command.addAll(List.of("--database-url", databases.postgresUrl()));
        }
        command.addAll(List.of(extra));
        return new OrdersProcess(new ProcessBuilder(command)
                .redirectError(databases.dataDir().resolve(name + ".log").toFile()).start());
    }

    /** Its exit status, once it ended by itself within {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the orders process still runs after " + timeout + "; its output: " + output);
        }
        return process.exitValue();
    }

    /** Waits until it printed a line that {@code expected} accepts, and returns that line. */
    String awaitLine(Predicate<String> expected, Duration timeout) {
        return Awaitility.await().atMost(timeout).until(
                () -> output.stream().filter(expected).findFirst().orElse(null), line -> line != null);
    }

    /** What it printed so far, one line each. */
    List<String> output() {
        return List.copyOf(output);
    }

    /** SIGTERM: the service stops as on Ctrl-C (its relay finishes the batch in flight); returns once it is gone. */
    void stop() throws InterruptedException {
        process.toHandle().destroy(); // Process.destroy() would also close our end of its output
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the orders process did not stop on SIGTERM within 60 s");
        }
    }

    /** SIGKILL, and waits until it is gone; nothing if it already ended. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                output.add(line);
            }
        } catch (IOException e) {
            output.add("(output unreadable: " + e + ")");
        }
    }
}
