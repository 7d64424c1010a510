package dev.switchboard.examples.checkout;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.Health;
import dev.switchboard.Messaging;
import dev.switchboard.SubscriptionHealth;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.micrometer.SwitchboardMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The metrics of every service in this process as Prometheus text, and their health as JSON, served on the
 * loopback interface only: {@code http://127.0.0.1:PORT/metrics} and {@code /health}.
 *
 * <p>One {@link PrometheusMeterRegistry} holds the meters of all services. Each service gets its own
 * {@link SwitchboardMetrics} over a {@link CompositeMeterRegistry} whose common tag {@code service} names it, and
 * whose only child is that shared registry: so the meters of four services in one process stay apart
 * ({@code service="payments"}), and each {@code SwitchboardMetrics} observes the registry it was given (one per
 * registry, as its documentation asks).
 *
 * <p>{@code /health} answers 200 when every registered service's {@link Messaging#health()} is
 * {@linkplain Health#isReady() ready} (UP), else 503; the body is the health of each service as JSON.
 */
final class MetricsEndpoint implements AutoCloseable {
    /** The tag that names the service of a meter. */
    static final String SERVICE_TAG = "service";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Messaging> services = new LinkedHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(int port) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "checkout-metrics-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> respond(exchange, "/metrics", () ->
                new Response(200, PROMETHEUS_TEXT, registry.scrape())));
        server.createContext("/health", exchange -> respond(exchange, "/health", this::health));
        server.start();
    }

    /** Serves on {@code 127.0.0.1:port}; port 0 picks a free one (see {@link #uri}). */
    static MetricsEndpoint serve(int port) throws IOException {
        return new MetricsEndpoint(port);
    }

    /** The meters of {@code service}: add it to that service's {@code Messaging.builder()}. */
    Instrumentation instrumentation(String service) {
        CompositeMeterRegistry serviceView = new CompositeMeterRegistry(registry.config().clock());
        serviceView.config().commonTags(SERVICE_TAG, service);
        serviceView.add(registry);
        return new SwitchboardMetrics(serviceView);
    }

    /** Adds {@code messaging} to the health report, under {@code service}. */
    void register(String service, Messaging messaging) {
        synchronized (services) {
            services.put(service, messaging);
        }
    }

    /** The address of {@code path} on this server, such as {@code http://127.0.0.1:9464/metrics}. */
    URI uri(String path) {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        registry.close();
    }

    private Response health() {
        Map<String, Health> each = new LinkedHashMap<>();
        synchronized (services) {
            services.forEach((name, messaging) -> each.put(name, messaging.health()));
        }
        boolean ready = !each.isEmpty() && each.values().stream().allMatch(Health::isReady);
        return new Response(ready ? 200 : 503, "application/json; charset=utf-8", healthJson(each));
    }

    /** {@code {"status":"UP","services":{"orders":{…},…}}}: the worst status of all, then each service's health. */
    static String healthJson(Map<String, Health> services) {
        Health.Status worst = services.isEmpty() ? Health.Status.DOWN : Health.Status.UP;
        for (Health health : services.values()) {
            if (health.status().compareTo(worst) > 0) {
                worst = health.status();
            }
        }
        StringBuilder json = new StringBuilder("{\"status\":").append(quote(worst.name())).append(",\"services\":{");
        String separator = "";
        for (Map.Entry<String, Health> entry : services.entrySet()) {
            json.append(separator).append(quote(entry.getKey())).append(':');
            appendHealth(json, entry.getValue());
            separator = ",";
        }
        return json.append("}}").toString();
    }

    private static void appendHealth(StringBuilder json, Health health) {
        json.append("{\"status\":").append(quote(health.status().name()))
                .append(",\"broker\":").append(quote(health.broker()))
                .append(",\"connectivity\":").append(quote(health.connectivity().name()))
                .append(",\"subscriptions\":[");
        String separator = "";
        for (SubscriptionHealth subscription : health.subscriptions()) {
            json.append(separator).append("{\"topic\":").append(quote(subscription.topic()))
                    .append(",\"group\":").append(quote(subscription.group()))
                    .append(",\"state\":").append(quote(subscription.state().name()));
            subscription.cause().ifPresent(cause -> json.append(",\"cause\":").append(quote(cause)));
            subscription.sinceLastReceive().ifPresent(since -> json.append(",\"sinceLastReceiveMs\":").append(since.toMillis()));
            subscription.lag().ifPresent(lag -> json.append(",\"lag\":").append(lag));
            json.append(",\"inFlight\":").append(subscription.inFlight()).append('}');
            separator = ",";
        }
        json.append("]}");
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private record Response(int status, String contentType, String body) {
    }

    private interface ResponseSource {
        Response get();
    }

    private static void respond(HttpExchange exchange, String path, ResponseSource source) throws IOException {
        try (exchange) {
            Response response;
            if (!exchange.getRequestURI().getPath().equals(path)) {
                response = new Response(404, "text/plain; charset=utf-8", "not found\n");
            } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                response = new Response(405, "text/plain; charset=utf-8", "GET or HEAD only\n");
            } else {
                try {
                    response = source.get();
                } catch (RuntimeException e) {
                    response = new Response(500, "text/plain; charset=utf-8", e + "\n");
                }
            }
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
