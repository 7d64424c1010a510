package dev.switchboard.jdbc;

import dev.switchboard.Messaging;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A relay in a JVM of its own, for the tests that kill one with SIGKILL: args are the database's JDBC URL, a
 * properties file with the broker's configuration, the batch size and the lease time in milliseconds. Prints
 * {@code READY} once the relay runs, then runs until the process is killed.
 */
public final class RelayMain {
    private RelayMain() {
    }

    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args[1]))) {
            properties.load(reader);
        }
        Map<String, String> config = new HashMap<>();
        properties.forEach((k, v) -> config.put(k.toString(), v.toString()));
        Messaging messaging = Messaging.fromConfig(config);
        OutboxRelay.builder(messaging, TestDatabase.fromUrl(args[0])).batchSize(Integer.parseInt(args[2]))
                .leaseTime(Duration.ofMillis(Long.parseLong(args[3]))).start();
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
