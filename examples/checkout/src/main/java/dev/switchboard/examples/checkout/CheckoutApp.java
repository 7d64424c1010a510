package dev.switchboard.examples.checkout;

import dev.switchboard.Messaging;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the checkout example: every service and the order driver in one process ({@code --service all}, the
 * default), or some of them ({@code --service payments}, {@code --service payments,inventory,shipping,driver}) so
 * that they run as processes of their own on a real broker. The broker comes from configuration alone
 * ({@code SWITCHBOARD_BROKER} and its connection keys); without any, the in-memory broker.
 *
 * <pre>
 * java … CheckoutApp [--orders N] [--service all|SERVICE[,SERVICE…]]   (orders, payments, inventory, shipping, driver)
 *                    [--namespace NAME] [--timeout SECONDS]
 *                    [--database-url jdbc:postgresql://…] [--data-dir DIR] [--crash-after-commit N]
 *                    [--metrics-port PORT [--linger SECONDS]]
 *                    [--trace] [--trace-order first|retried|N|ORDER-ID] [--trace-svg FILE]
 * </pre>
 *
 * <p>Orders and payments each have a database of their own ({@link Databases}): embedded H2 files under
 * {@code --data-dir} (default {@code <java.io.tmpdir>/switchboard-checkout}), or a schema each on the PostgreSQL
 * database of {@code --database-url} (or {@code CHECKOUT_DATABASE_URL}). {@code --crash-after-commit N} (with
 * {@code orders} in this process and the driver in another) halts this JVM right after the N-th order committed,
 * its {@code OrderPlaced} still in the outbox (see {@link OrdersService}).
 *
 * <p>{@code --metrics-port} serves the metrics of every service of this process as Prometheus text at
 * {@code http://127.0.0.1:PORT/metrics} and their health at {@code /health} (see {@link MetricsEndpoint}), for as
 * long as the process runs; after a run that drives orders, for {@code --linger} seconds more (default 0), the
 * services still open. {@code --trace} (with {@code --service all}) collects every service's spans in the process
 * and prints one order's trace after the run (see {@link OrderTrace}); {@code --trace-svg} also draws it (see
 * {@link TraceWaterfall}).
 */
public final class CheckoutApp {
    /** The service name of the driver's {@code Messaging}: it places the orders and records their final states. */
    static final String DRIVER = "checkout-driver";
    /** The driver's name in {@code --service}. */
    static final String DRIVER_OPTION = "driver";

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

    /** What to do once every order reached its final state, before the services close. */
    @FunctionalInterface
    interface WhileOpen {
        void accept(CheckoutRun.Summary summary) throws IOException, InterruptedException;
    }

    /** Runs as the options say; returns the summary when this process drives orders, else null (a service runs until stopped). */
    static CheckoutRun.Summary run(Options options, PrintStream out) throws IOException, InterruptedException, SQLException {
        try (Observability observability = Observability.of(options.metricsPort(), options.trace())) {
            return run(options, out, observability, summary -> linger(options, observability, out));
        }
    }

    /**
     * Runs as the options say, observed by {@code observability} (which the caller closes); {@code whileOpen} is
     * called after the run, while every service is still open.
     */
    static CheckoutRun.Summary run(Options options, PrintStream out, Observability observability, WhileOpen whileOpen)
            throws IOException, InterruptedException, SQLException {
        Topics topics = new Topics(options.namespace());
        observability.metrics().ifPresent(metrics -> out.printf("metrics: %s (Prometheus text), health: %s%n",
                metrics.uri("/metrics"), metrics.uri("/health")));
        Set<String> wanted = options.services();
        List<Messaging> connections = new ArrayList<>();
        List<CheckoutService> services = new ArrayList<>();
        List<ServiceDatabase> databases = new ArrayList<>();
        PaymentsService payments = null;
        CheckoutRun checkout;
        CheckoutRun.Summary summary;
        String broker;
        try {
            for (String service : CheckoutService.NAMES) {
                if (wanted.contains(service)) {
                    Messaging messaging = connect(service, options.properties(), observability);
                    connections.add(messaging);
                    CheckoutRun.provision(messaging, topics);
                    CheckoutService started = create(service, messaging, topics, options, databases, out);
                    services.add(started);
                    started.start();
                    if (started instanceof PaymentsService p) {
                        payments = p;
                    }
                }
            }
            if (!wanted.contains(DRIVER_OPTION)) {
                out.printf("%s running on %s (topics %s.*); Ctrl-C stops it%n", String.join(", ", wanted),
                        connections.get(0).brokerName(), topics.namespace());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> close(services, connections, databases),
                        "checkout-stop"));
                new CountDownLatch(1).await();
            }
            Messaging driver = connect(DRIVER, options.properties(), observability);
            connections.add(driver);
            CheckoutRun.provision(driver, topics);
            broker = driver.brokerName();
            out.printf("checkout on %s%n", broker);
            checkout = new CheckoutRun(driver, topics, out);
            summary = checkout.run(options.orders(), options.timeout());
            if (payments != null) {
                out.printf("payments: %d transient gateway timeouts, each retried by the subscription's retry policy%n",
                        payments.gatewayTimeouts());
            }
            whileOpen.accept(summary);
        } finally {
            close(services, connections, databases);
        }
        // every subscription has drained and closed: every span of the run has ended
        Optional<TraceCollector> traces = observability.traces();
        if (traces.isPresent()) {
            reportTrace(options, traces.get().spans(), checkout, broker, out);
        }
        return summary;
    }

    /**
     * Stops the services' outbox relays (while their {@code Messaging} is still open), then closes the connections
     * (their subscriptions drain: what the handlers commit meanwhile stays in the outbox for the next process), then
     * the databases.
     */
    private static void close(List<CheckoutService> services, List<Messaging> connections,
                              List<ServiceDatabase> databases) {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        for (int i = connections.size() - 1; i >= 0; i--) {
            connections.get(i).close(Duration.ofSeconds(10));
        }
        for (ServiceDatabase database : databases) {
            try {
                database.close();
            } catch (SQLException e) {
                System.err.println("checkout: closing " + database.description() + " failed: " + e);
            }
        }
    }

    private static CheckoutService create(String name, Messaging messaging, Topics topics, Options options,
                                          List<ServiceDatabase> databases, PrintStream out) throws SQLException {
        return switch (name) {
            case "orders" -> new OrdersService(messaging, topics,
                    database(options, "orders", OrdersService.TABLE, databases, out), options.crashAfterCommit(), out);
            case "payments" -> new PaymentsService(messaging, topics,
                    database(options, "payments", PaymentsService.TABLE, databases, out));
            case "inventory" -> new InventoryService(messaging, topics);
            case "shipping" -> new ShippingService(messaging, topics);
            default -> throw new IllegalArgumentException("no service " + name + "; expected one of " + CheckoutService.NAMES);
        };
    }

    private static ServiceDatabase database(Options options, String service, String tableDdl,
                                            List<ServiceDatabase> databases, PrintStream out) throws SQLException {
        ServiceDatabase database = options.databases().open(options.namespace(), service, tableDdl);
        databases.add(database);
        out.printf("%s: database %s%n", service, database.description());
        return database;
    }

    private static Messaging connect(String serviceName, Map<String, String> extra, Observability observability) {
        Map<String, String> properties = new HashMap<>(extra);
        properties.put("switchboard.service-name", serviceName);
        if (System.getenv("SWITCHBOARD_BROKER") == null && System.getProperty("switchboard.broker") == null) {
            properties.putIfAbsent("switchboard.broker", "in-memory");
        }
        Messaging messaging = observability.instrument(serviceName, Messaging.builder().properties(properties)).build();
        observability.register(serviceName, messaging);
        return messaging;
    }

    private static void linger(Options options, Observability observability, PrintStream out) throws InterruptedException {
        Optional<MetricsEndpoint> metrics = observability.metrics();
        if (metrics.isPresent() && !options.linger().isZero()) {
            out.printf("metrics: serving %s for %d s more (--linger), the services still open%n",
                    metrics.get().uri("/metrics"), options.linger().toSeconds());
            Thread.sleep(options.linger().toMillis()); // keeps the endpoint up for a scrape: the point of --linger
        }
    }

    /** Prints the trace of the order {@code --trace-order} names (the first shipped one by default), and draws it. */
    private static void reportTrace(Options options, List<SpanData> spans, CheckoutRun checkout, String broker,
                                    PrintStream out) throws IOException {
        List<String> shipped = checkout.shippedOrders();
        String wanted = options.traceOrder() == null ? "first" : options.traceOrder();
        Optional<OrderTrace> trace;
        switch (wanted) {
            case "first" -> trace = shipped.stream().map(id -> OrderTrace.of(spans, id)).flatMap(Optional::stream).findFirst();
            case "retried" -> {
                trace = shipped.stream().map(id -> OrderTrace.of(spans, id)).flatMap(Optional::stream)
                        .filter(OrderTrace::hasRetry).findFirst();
                if (trace.isEmpty()) {
                    out.println("trace: no shipped order had a retried payment; showing the first shipped order");
                    trace = shipped.stream().map(id -> OrderTrace.of(spans, id)).flatMap(Optional::stream).findFirst();
                }
            }
            default -> trace = OrderTrace.of(spans, wanted.chars().allMatch(Character::isDigit)
                    ? checkout.orderId(Integer.parseInt(wanted)) : wanted);
        }
        if (trace.isEmpty()) {
            out.printf("trace: no span of order '%s' among the %d spans collected%n", wanted, spans.size());
            return;
        }
        OrderTrace order = trace.get();
        String title = "order " + order.orderId() + (shipped.contains(order.orderId()) ? " (shipped)" : "");
        out.print(order.summary(title));
        if (options.traceSvg() != null) {
            String subtitle = "checkout on " + broker + ", " + options.orders() + " orders, " + LocalDate.now();
            TraceWaterfall.write(order, subtitle, options.traceSvg());
            out.printf("trace: waterfall of order %s written to %s%n", order.orderId(), options.traceSvg());
        }
    }

    /**
     * Command-line options.
     *
     * @param service {@code all}, or a comma list of service names and {@code driver}
     * @param properties extra {@code switchboard.*} properties (tests pass the broker endpoint this way)
     * @param databases where orders and payments keep their databases
     * @param crashAfterCommit the crash demo: the orders service halts this JVM after that many committed orders
     *     (0: never); needs {@code orders} in this process and the driver in another
     * @param metricsPort the loopback port of the metrics endpoint, 0 for any free one, -1 for none
     * @param linger how long the endpoint stays up after a run that drives orders
     * @param trace whether to collect spans and print one order's trace (also set by the two options below)
     * @param traceOrder which order's trace: {@code first} (shipped, the default), {@code retried} (the first shipped
     *     order whose payment was retried), a number (the run's order of that index) or an order id; null for the default
     * @param traceSvg where to write the trace as an SVG waterfall, or null
     */
    record Options(int orders, String service, String namespace, Duration timeout, Map<String, String> properties,
                   Databases databases, int crashAfterCommit,
                   int metricsPort, Duration linger, boolean trace, String traceOrder, Path traceSvg) {
        Options {
            if (orders < 1) {
                throw new IllegalArgumentException("--orders must be >= 1, was " + orders);
            }
            Set<String> services = services(service);
            if (crashAfterCommit < 0) {
                throw new IllegalArgumentException("--crash-after-commit must be >= 1, was " + crashAfterCommit);
            }
            if (crashAfterCommit > 0 && (!services.contains("orders") || services.contains(DRIVER_OPTION))) {
                throw new IllegalArgumentException("--crash-after-commit halts the orders service's JVM: it needs --service"
                        + " with orders and without driver (run the driver in another process), was " + service);
            }
            if (metricsPort < -1 || metricsPort > 65_535) {
                throw new IllegalArgumentException("--metrics-port must be 0..65535, was " + metricsPort);
            }
            if (linger.isNegative()) {
                throw new IllegalArgumentException("--linger must be >= 0, was " + linger.toSeconds());
            }
            trace = trace || traceOrder != null || traceSvg != null;
            if (trace && !service.equals("all")) {
                throw new IllegalArgumentException("--trace collects the spans of the services in this process: it needs "
                        + "--service all (with one process per service, export the spans to a collector instead)");
            }
        }

        /** Without a crash, metrics or traces. */
        Options(int orders, String service, String namespace, Duration timeout, Map<String, String> properties,
                Databases databases) {
            this(orders, service, namespace, timeout, properties, databases, 0, -1, Duration.ZERO, false, null, null);
        }

        /** The services (and {@code driver}) this process runs, in the order given; {@code all} is every one. */
        Set<String> services() {
            return services(service);
        }

        private static Set<String> services(String service) {
            if (service.equals("all")) {
                Set<String> all = new LinkedHashSet<>(CheckoutService.NAMES);
                all.add(DRIVER_OPTION);
                return all;
            }
            Set<String> names = new LinkedHashSet<>(Arrays.asList(service.split(",")));
            for (String name : names) {
                if (!name.equals(DRIVER_OPTION) && !CheckoutService.NAMES.contains(name)) {
                    throw new IllegalArgumentException("--service must be all, or a comma list of driver and "
                            + String.join(", ", CheckoutService.NAMES) + "; was " + service);
                }
            }
            return names;
        }

        static Options parse(String[] args) {
            int orders = 1000;
            String service = "all";
            String namespace = "checkout";
            Duration timeout = Duration.ofMinutes(5);
            Databases environment = Databases.fromEnvironment();
            String databaseUrl = environment.postgresUrl();
            Path dataDir = environment.dataDir();
            int crashAfterCommit = 0;
            int metricsPort = -1;
            Duration linger = Duration.ZERO;
            boolean trace = false;
            String traceOrder = null;
            Path traceSvg = null;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--trace")) {
                    trace = true;
                    continue;
                }
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--orders" -> orders = Integer.parseInt(require(args[i], value));
                    case "--service" -> service = require(args[i], value).toLowerCase(Locale.ROOT);
                    case "--namespace" -> namespace = require(args[i], value);
                    case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(require(args[i], value)));
                    case "--database-url" -> databaseUrl = require(args[i], value);
                    case "--data-dir" -> dataDir = Path.of(require(args[i], value));
                    case "--crash-after-commit" -> crashAfterCommit = Integer.parseInt(require(args[i], value));
                    case "--metrics-port" -> metricsPort = Integer.parseInt(require(args[i], value));
                    case "--linger" -> linger = Duration.ofSeconds(Long.parseLong(require(args[i], value)));
                    case "--trace-order" -> traceOrder = require(args[i], value);
                    case "--trace-svg" -> traceSvg = Path.of(require(args[i], value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; expected --orders N, --service NAME[,NAME…], --namespace NAME, --timeout SECONDS, "
                            + "--database-url URL, --data-dir DIR, --crash-after-commit N, --metrics-port PORT, "
                            + "--linger SECONDS, --trace, --trace-order first|retried|N|ID, --trace-svg FILE");
                }
                i++;
            }
            return new Options(orders, service, namespace, timeout, Map.of(), new Databases(databaseUrl, dataDir),
                    crashAfterCommit, metricsPort, linger, trace, traceOrder, traceSvg);
        }

        private static String require(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }
}
