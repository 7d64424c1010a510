package dev.switchboard.testkit.scale;

import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * One service instance of a {@link ScaleOutScenario}, in its own JVM: subscribes to a topic in a group with the
 * configuration from a properties file, and prints one line per handled event to standard output,
 * {@code H <epoch millis> <event id> <data>}, after {@code READY} once subscribed. Closes its {@code Messaging}
 * (a graceful drain) on SIGTERM; a SIGKILL stops it where it is.
 *
 * <p>Arguments: {@code <properties file> <topic> <group> <handling millis> [<halt on data>]}: with the fifth, the
 * handler of an event whose data is exactly that halts the JVM ({@code Runtime.halt}, as an out-of-memory error or
 * a native crash would end it: nothing is closed).
 *
 * @since 0.2
 */
public final class ServiceInstanceMain {
    private ServiceInstanceMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 4 && args.length != 5) {
            System.err.println("usage: ServiceInstanceMain <properties file> <topic> <group> <handling millis>"
                    + " [<halt on data>]");
            System.exit(2);
        }
        Map<String, String> config = load(Path.of(args[0]));
        String topic = args[1];
        String group = args[2];
        long handlingMillis = Long.parseLong(args[3]);
        String haltOn = args.length == 5 ? args[4] : null;
        Messaging messaging = Messaging.fromConfig(config);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            messaging.close();
            closed.countDown();
        }));
        messaging.subscribe(Subscription.to(topic).group(group).onEnvelope((event, context) -> {
            if (event.payload().asString().equals(haltOn)) {
                System.out.println("HALT " + event.id() + " attempt " + context.attempt());
                System.out.flush();
                Runtime.getRuntime().halt(137);
            }
            if (handlingMillis > 0) {
                Thread.sleep(handlingMillis); // the work a real handler would do
            }
            synchronized (System.out) {
                System.out.println("H " + System.currentTimeMillis() + " " + event.id() + " " + event.payload().asString());
                System.out.flush();
            }
        }).build());
        System.out.println("READY");
        System.out.flush();
        closed.await();
    }

    private static Map<String, String> load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Map<String, String> config = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
        return config;
    }
}
