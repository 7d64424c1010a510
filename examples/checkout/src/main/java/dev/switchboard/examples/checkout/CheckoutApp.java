package dev.switchboard.examples.checkout;

import dev.switchboard.Messaging;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the checkout example: every service and the order driver in one process ({@code --service all}, the
 * default), or one of them ({@code --service payments}) so that each runs as its own process on a real
 * broker. The broker comes from configuration alone ({@code SWITCHBOARD_BROKER} and its connection keys);
 * without any, the in-memory broker.
 *
 * <pre>
 * java … CheckoutApp [--orders N] [--service all|orders|payments|inventory|shipping|driver]
 *                    [--namespace NAME] [--timeout SECONDS]
 * </pre>
 */
public final class CheckoutApp {
    private CheckoutApp() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        CheckoutRun.Summary summary = run(options, System.out);
        if (summary != null) {
            System.out.println(summary.line());
            System.exit(summary.lost() == 0 ? 0 : 1);
        }
    }

    /** Runs as the options say; returns the summary when this process drives orders, else null (a service runs until stopped). */
    static CheckoutRun.Summary run(Options options, PrintStream out) throws InterruptedException {
        Topics topics = new Topics(options.namespace());
        List<Messaging> connections = new ArrayList<>();
        PaymentsService payments = null;
        try {
            for (String service : CheckoutService.NAMES) {
                if (options.service().equals("all") || options.service().equals(service)) {
                    Messaging messaging = connect(service, options.properties());
                    connections.add(messaging);
                    CheckoutRun.provision(messaging, topics);
                    CheckoutService started = CheckoutService.create(service, messaging, topics);
                    started.start();
                    if (started instanceof PaymentsService p) {
                        payments = p;
                    }
                }
            }
            if (!options.service().equals("all") && !options.service().equals("driver")) {
                out.printf("%s service running on %s (topics %s.*); Ctrl-C stops it%n", options.service(),
                        connections.get(0).brokerName(), topics.namespace());
                new CountDownLatch(1).await();
            }
            Messaging driver = connect("checkout-driver", options.properties());
            connections.add(driver);
            CheckoutRun.provision(driver, topics);
            out.printf("checkout on %s%n", driver.brokerName());
            CheckoutRun.Summary summary = new CheckoutRun(driver, topics, out).run(options.orders(), options.timeout());
            if (payments != null) {
                out.printf("payments: %d transient gateway timeouts, each retried by the subscription's retry policy%n",
                        payments.gatewayTimeouts());
            }
            return summary;
        } finally {
            for (int i = connections.size() - 1; i >= 0; i--) {
                connections.get(i).close(Duration.ofSeconds(10));
            }
        }
    }

    private static Messaging connect(String serviceName, Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(extra);
        properties.put("switchboard.service-name", serviceName);
        if (System.getenv("SWITCHBOARD_BROKER") == null && System.getProperty("switchboard.broker") == null) {
            properties.putIfAbsent("switchboard.broker", "in-memory");
        }
        return Messaging.fromConfig(properties);
    }

    /**
     * Command-line options.
     *
     * @param properties extra {@code switchboard.*} properties (tests pass the broker endpoint this way)
     */
    record Options(int orders, String service, String namespace, Duration timeout, Map<String, String> properties) {
        Options {
            if (orders < 1) {
                throw new IllegalArgumentException("--orders must be >= 1, was " + orders);
            }
            if (!service.equals("all") && !service.equals("driver") && !CheckoutService.NAMES.contains(service)) {
                throw new IllegalArgumentException("--service must be all, driver or one of " + CheckoutService.NAMES + ", was " + service);
            }
        }

        static Options parse(String[] args) {
            int orders = 1000;
            String service = "all";
            String namespace = "checkout";
            Duration timeout = Duration.ofMinutes(5);
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--orders" -> orders = Integer.parseInt(require(args[i], value));
                    case "--service" -> service = require(args[i], value).toLowerCase(Locale.ROOT);
                    case "--namespace" -> namespace = require(args[i], value);
                    case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(require(args[i], value)));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; expected --orders N, --service NAME, --namespace NAME, --timeout SECONDS");
                }
                i++;
            }
            return new Options(orders, service, namespace, timeout, Map.of());
        }

        private static String require(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }
}
