package dev.switchboard.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@link RelayMain} in a JVM of its own, started with this JVM's class path. */
final class ChildRelay {
    private final Process process;
    private final BufferedReader out;

    private ChildRelay(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts one and waits until its relay runs; its log goes to {@code <name>.log} in {@code workDir}. */
    static ChildRelay start(String name, Path workDir, String jdbcUrl, Map<String, String> brokerProperties,
                            int batchSize, long leaseMillis, long pauseMillis) throws Exception {
        Path properties = workDir.resolve(name + ".properties");
        Properties values = new Properties();
        values.putAll(brokerProperties);
        try (Writer writer = Files.newBufferedWriter(properties)) {
            values.store(writer, "child relay " + name);
        }
        Path log = workDir.resolve(name + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), RelayMain.class.getName(), jdbcUrl,
                properties.toString(), Integer.toString(batchSize), Long.toString(leaseMillis),
                Long.toString(pauseMillis)).redirectError(log.toFile()).start();
        ChildRelay child = new ChildRelay(process);
        String line = CompletableFuture.supplyAsync(child::readLine).get(60, TimeUnit.SECONDS);
        if (!"READY".equals(line)) {
            process.destroyForcibly();
            throw new IllegalStateException("child relay " + name + " did not start: " + Files.readString(log));
        }
        return child;
    }

    /** SIGKILL: the JVM stops where it is; returns once it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a killed child relay is still alive");
        }
    }

    /** SIGTERM: the relay closes; returns the rows it relayed. */
    long stop() throws InterruptedException {
        process.toHandle().destroy(); // Process.destroy() would also close our end of its output

        String line = CompletableFuture.supplyAsync(this::readLine).completeOnTimeout(null, 60, TimeUnit.SECONDS).join();
        process.waitFor(30, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("RELAYED ")) {
            throw new IllegalStateException("the child relay did not report on SIGTERM: " + line);
        }
        return Long.parseLong(line.substring("RELAYED ".length()));
    }

    /** Makes sure it is gone (after a failed test). */
    void destroy() {
        process.destroyForcibly();
    }

    private String readLine() {
        try {
            return out.readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
