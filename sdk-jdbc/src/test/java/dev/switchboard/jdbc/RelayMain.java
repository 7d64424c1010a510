package dev.switchboard.jdbc;

import dev.switchboard.Messaging;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.instrumentation.PublishContext;
import dev.switchboard.instrumentation.PublishObservation;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A relay in a JVM of its own, for the tests that kill one with SIGKILL: args are the database's JDBC URL, a
 * properties file with the broker's configuration, the batch size, the lease time in milliseconds, and a pause in
 * milliseconds before each publish (so that a batch is in flight for a while, and a kill lands in one). Prints
 * {@code READY} once the relay runs, then runs until the process ends: on SIGTERM it closes the relay and prints
 * {@code RELAYED <rows>}.
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
        long pauseNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4]));
        Messaging messaging = Messaging.builder().properties(config).instrumentation(new Instrumentation() {
            @Override
            public PublishObservation publishStarted(PublishContext publish) {
                LockSupport.parkNanos(pauseNanos);
                return PublishObservation.NONE;
            }
        }).build();
        OutboxRelay relay = OutboxRelay.builder(messaging, TestDatabase.fromUrl(args[0]))
                .batchSize(Integer.parseInt(args[2])).leaseTime(Duration.ofMillis(Long.parseLong(args[3]))).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            System.out.println("RELAYED " + relay.stats().relayed());
            System.out.flush();
        }));
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
