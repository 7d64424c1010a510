package dev.switchboard.examples.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The checkout example's metrics endpoint and trace summary, on the in-memory broker with the real parts: a
 * {@code PrometheusMeterRegistry} scraped over HTTP on the loopback interface, the OpenTelemetry SDK's spans, the
 * SVG parsed as XML. One run of {@value #ORDERS} orders (metrics and traces both on) serves every test.
 */
class CheckoutObservabilityTest {
    private static final int ORDERS = 300;
    private static final Pattern TRACE_HEADER = Pattern.compile("(?m)^trace ([0-9a-f]{32}): order (\\S+) \\(shipped\\), (\\d+) spans");
    private static final Pattern TIMEOUTS = Pattern.compile("payments: (\\d+) transient gateway timeouts");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path folder;

    private static String namespace;
    private static Observability observability;
    private static CheckoutRun.Summary summary;
    private static String output;
    private static HttpResponse<String> healthWhileOpen;
    private static HttpResponse<String> metricsWhileOpen;
    private static Path svg;

    @BeforeAll
    static void runTheCheckoutObserved() throws Exception {
        namespace = "checkout-obs-" + UUID.randomUUID().toString().substring(0, 8);
        svg = folder.resolve("trace.svg");
        CheckoutApp.Options options = new CheckoutApp.Options(ORDERS, "all", namespace, Duration.ofMinutes(3),
                Map.of("switchboard.broker", "in-memory", "switchboard.in-memory.instance", namespace),
                Databases.embedded(folder), 0, 0, Duration.ZERO, true, null, svg);
        observability = Observability.of(options.metricsPort(), options.trace());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        summary = CheckoutApp.run(options, new PrintStream(console, true, StandardCharsets.UTF_8), observability, done -> {
            healthWhileOpen = get("/health");
            metricsWhileOpen = get("/metrics");
        });
        output = console.toString(StandardCharsets.UTF_8);
        assertThat(summary.lost()).as("output:%n%s", output).isZero();
    }

    @AfterAll
    static void stop() {
        if (observability != null) {
            observability.close();
        }
    }

    // --- metrics ---

    @Test
    void theEndpointServesPrometheusTextOnTheLoopbackInterface() throws Exception {
        URI uri = observability.metrics().orElseThrow().uri("/metrics");
        assertThat(uri.getHost()).isEqualTo("127.0.0.1");
        assertThat(metricsWhileOpen.statusCode()).isEqualTo(200);
        assertThat(metricsWhileOpen.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(metricsWhileOpen.body()).contains("# TYPE messaging_client_sent_messages_total counter");
        assertThat(get("/metrics/other").statusCode()).isEqualTo(404);
    }

    @Test
    void sentCountsMatchTheEventsEachServicePublished() throws Exception {
        String metrics = get("/metrics").body(); // after the run: every service closed, its counters kept
        String sent = "messaging_client_sent_messages_total";
        assertThat(sum(metrics, sent, Map.of("service", CheckoutApp.DRIVER, "cloudevents_event_type", "shop.order.requested",
                "messaging_destination_name", namespace + ".requests", "error_type", "none")))
                .as("every order command sent, the malformed one included").isEqualTo(ORDERS);
        assertThat(sum(metrics, sent, Map.of("service", "orders", "cloudevents_event_type", "shop.order.placed",
                "messaging_destination_name", namespace + ".orders")))
                .as("every well-formed order placed, once, by the orders service's outbox relay").isEqualTo(ORDERS - 1);
        assertThat(sum(metrics, sent, Map.of("service", "shipping", "cloudevents_event_type", "shop.order.shipped")))
                .isEqualTo(summary.shipped());
        assertThat(sum(metrics, sent, Map.of("service", "orders", "cloudevents_event_type", "shop.order.cancelled")))
                .isEqualTo(summary.cancelled());
        double authorized = sum(metrics, sent, Map.of("service", "payments", "cloudevents_event_type", "shop.payment.authorized"));
        double declined = sum(metrics, sent, Map.of("service", "payments", "cloudevents_event_type", "shop.payment.declined"));
        assertThat(authorized + declined).as("one payment decision per well-formed order").isEqualTo(ORDERS - 1);
        double reserved = sum(metrics, sent, Map.of("service", "inventory", "cloudevents_event_type", "shop.stock.reserved"));
        double outOfStock = sum(metrics, sent, Map.of("service", "inventory", "cloudevents_event_type", "shop.stock.out"));
        assertThat(reserved + outOfStock).isEqualTo(authorized);
        assertThat(reserved).isEqualTo(summary.shipped());
        assertThat(sum(metrics, sent, Map.of("service", "payments", "cloudevents_event_type", "shop.payment.refunded")))
                .isEqualTo(outOfStock);
        assertThat(declined + outOfStock).isEqualTo(summary.cancelled());
        assertThat(sum(metrics, sent, Map.of("error_type", "none"))).isEqualTo(sum(metrics, sent, Map.of()));
    }

    @Test
    void consumerMetersShowTheDeadLetterAndTheRetries() throws Exception {
        String metrics = get("/metrics").body();
        assertThat(sum(metrics, "messaging_client_consumed_messages_total", Map.of("service", "orders",
                "messaging_consumer_group_name", "orders", "messaging_destination_name", namespace + ".requests",
                "outcome", "dead_lettered")))
                .as("the malformed order command").isEqualTo(1);
        assertThat(sum(metrics, "switchboard_dead_letters_total", Map.of("reason", "undecodable")))
                .isEqualTo(sum(metrics, "switchboard_dead_letters_total", Map.of("service", "orders")))
                .isEqualTo(1);
        Matcher timeouts = TIMEOUTS.matcher(output);
        assertThat(timeouts.find()).as("output:%n%s", output).isTrue();
        assertThat(sum(metrics, "switchboard_retries_total", Map.of("service", "payments")))
                .as("each gateway timeout is a retried attempt").isEqualTo(Integer.parseInt(timeouts.group(1)))
                .isPositive();
        assertThat(sum(metrics, "messaging_client_consumed_messages_total", Map.of("service", CheckoutApp.DRIVER,
                "cloudevents_event_type", "shop.order.shipped", "outcome", "acked")))
                .isEqualTo(summary.shipped());
    }

    @Test
    void theServiceTagKeepsTheServicesOfOneProcessApart() {
        Set<String> services = labelValues(metricsWhileOpen.body(), "service");
        assertThat(services).containsExactlyInAnyOrder("orders", "payments", "inventory", "shipping", CheckoutApp.DRIVER);
        assertThat(metricsWhileOpen.body().lines().filter(line -> !line.startsWith("#") && !line.isBlank()))
                .allSatisfy(line -> assertThat(line).contains("service=\""));
    }

    @Test
    void healthIsUpWhileTheServicesRunAndDownOnceClosed() throws Exception {
        assertThat(healthWhileOpen.statusCode()).as(healthWhileOpen.body()).isEqualTo(200);
        assertThat(healthWhileOpen.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode health = JSON.readTree(healthWhileOpen.body());
        assertThat(health.get("status").asText()).isEqualTo("UP");
        List<String> names = new ArrayList<>();
        health.get("services").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("orders", "payments", "inventory", "shipping", CheckoutApp.DRIVER);
        for (String name : names) {
            JsonNode service = health.get("services").get(name);
            assertThat(service.get("status").asText()).as(name).isEqualTo("UP");
            assertThat(service.get("broker").asText()).isEqualTo("in-memory");
            assertThat(service.get("subscriptions")).as(name).isNotEmpty()
                    .allSatisfy(subscription -> assertThat(subscription.get("state").asText()).isEqualTo("RUNNING"));
        }
        assertThat(health.get("services").get("payments").get("subscriptions")).extracting(s -> s.get("topic").asText())
                .containsExactlyInAnyOrder(namespace + ".orders", namespace + ".inventory");
        assertThat(health.get("services").get("orders").get("subscriptions")).extracting(s -> s.get("topic").asText())
                .containsExactlyInAnyOrder(namespace + ".requests", namespace + ".payments");

        HttpResponse<String> afterClose = get("/health");
        assertThat(afterClose.statusCode()).isEqualTo(503);
        JsonNode closed = JSON.readTree(afterClose.body());
        assertThat(closed.get("status").asText()).isEqualTo("DOWN");
        assertThat(closed.get("services").get("shipping").get("status").asText()).isEqualTo("DOWN");
    }

    // --- traces ---

    @Test
    void theSummaryShowsTheFirstShippedOrderAsOneTraceAcrossTheServicesInCausalOrder() {
        Matcher header = TRACE_HEADER.matcher(output);
        assertThat(header.find()).as("output:%n%s", output).isTrue();
        String traceId = header.group(1);
        String orderId = header.group(2);
        List<SpanData> spans = observability.traces().orElseThrow().spans();
        List<SpanData> ofOrder = spans.stream()
                .filter(span -> orderId.equals(span.getAttributes().get(OrderTrace.CONVERSATION_ID))).toList();
        assertThat(ofOrder).extracting(SpanData::getTraceId).as("every span of the order, in one trace").containsOnly(traceId);

        OrderTrace trace = OrderTrace.of(spans, orderId).orElseThrow();
        assertThat(trace.traceId()).isEqualTo(traceId);
        assertThat(trace.rows()).hasSize(Integer.parseInt(header.group(3))).hasSameSizeAs(ofOrder);
        assertThat(trace.services()).containsExactly(CheckoutApp.DRIVER, "orders", "payments", "inventory", "shipping");

        // the chain from the order command to its shipment reported: each span the child of the one before; the
        // sends of orders and payments are their outbox relays', later, on the relay's thread, in the handler's trace
        SpanData last = trace.rows().stream().map(OrderTrace.Row::span)
                .filter(span -> span.getName().equals("process " + namespace + ".shipping")).findFirst().orElseThrow();
        List<SpanData> chain = ancestry(last, spans);
        assertThat(chain).extracting(TraceCollector::service).containsExactly(CheckoutApp.DRIVER, "orders", "orders",
                "payments", "payments", "inventory", "inventory", "shipping", "shipping", CheckoutApp.DRIVER);
        assertThat(chain).extracting(SpanData::getName).containsExactly("send " + namespace + ".requests",
                "process " + namespace + ".requests", "send " + namespace + ".orders",
                "process " + namespace + ".orders", "send " + namespace + ".payments", "process " + namespace + ".payments",
                "send " + namespace + ".inventory", "process " + namespace + ".inventory", "send " + namespace + ".shipping",
                "process " + namespace + ".shipping");
        assertThat(chain).extracting(SpanData::getKind).containsExactly(SpanKind.PRODUCER, SpanKind.CONSUMER,
                SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.PRODUCER,
                SpanKind.CONSUMER, SpanKind.PRODUCER, SpanKind.CONSUMER);
        for (int i = 1; i < chain.size(); i++) {
            assertThat(chain.get(i).getStartEpochNanos()).as("span %d starts after its parent", i)
                    .isGreaterThanOrEqualTo(chain.get(i - 1).getStartEpochNanos());
        }

        // the printed lines: one per span, the services' first lines in the flow's order
        String printed = output.substring(header.start());
        List<String> lines = printed.lines().skip(2).limit(trace.rows().size()).toList();
        assertThat(lines).hasSize(trace.rows().size()).allSatisfy(line -> assertThat(line).matches("\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d\\s+\\S+\\s+.*(PRODUCER|CONSUMER).*"));
        assertThat(lines.stream().map(line -> line.trim().split("\\s+")[2]).distinct())
                .containsExactly(CheckoutApp.DRIVER, "orders", "payments", "inventory", "shipping");
        assertThat(lines.get(1)).contains("attempt 1");
    }

    @Test
    void aRefundedOrderIsOneTraceThroughInventoryBackToPaymentsAndOrders() {
        List<SpanData> spans = observability.traces().orElseThrow().spans();
        String refunded = spans.stream()
                .filter(span -> TraceCollector.service(span).equals("payments")
                        && span.getName().equals("process " + namespace + ".inventory"))
                .map(span -> span.getAttributes().get(OrderTrace.CONVERSATION_ID)).sorted().findFirst()
                .orElseThrow(() -> new AssertionError("no order was refunded among " + ORDERS));
        OrderTrace trace = OrderTrace.of(spans, refunded).orElseThrow();
        assertThat(trace.services()).containsExactly(CheckoutApp.DRIVER, "orders", "payments", "inventory");
        assertThat(trace.rows()).extracting(row -> row.span().getTraceId()).containsOnly(trace.traceId());
        SpanData cancelledReported = trace.rows().stream().map(OrderTrace.Row::span)
                .filter(span -> TraceCollector.service(span).equals(CheckoutApp.DRIVER) && span.getKind() == SpanKind.CONSUMER)
                .findFirst().orElseThrow();
        assertThat(ancestry(cancelledReported, spans)).extracting(TraceCollector::service)
                .containsExactly(CheckoutApp.DRIVER, "orders", "orders", "payments", "payments", "inventory", "inventory",
                        "payments", "payments", "orders", "orders", CheckoutApp.DRIVER);
    }

    @Test
    void theSvgIsWellFormedWithOneBarPerSpan() throws Exception {
        Matcher header = TRACE_HEADER.matcher(output);
        assertThat(header.find()).isTrue();
        OrderTrace trace = OrderTrace.of(observability.traces().orElseThrow().spans(), header.group(2)).orElseThrow();
        assertThat(output).contains("trace: waterfall of order " + header.group(2) + " written to " + svg);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().parse(svg.toFile());
        Element root = document.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        NodeList rects = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        assertThat(rects.getLength()).isEqualTo(trace.rows().size());
        Map<String, Set<String>> fillsByService = new HashMap<>();
        double previousY = -1;
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            OrderTrace.Row row = trace.rows().get(i);
            String title = rect.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").item(0).getTextContent();
            assertThat(title).startsWith(row.service() + " · " + row.name());
            assertThat(Double.parseDouble(rect.getAttribute("width"))).isPositive();
            double y = Double.parseDouble(rect.getAttribute("y"));
            assertThat(y).as("one row per span, top to bottom").isGreaterThan(previousY);
            previousY = y;
            fillsByService.computeIfAbsent(row.service(), s -> new HashSet<>()).add(rect.getAttribute("fill"));
        }
        assertThat(fillsByService.values()).allSatisfy(fills -> assertThat(fills).hasSize(1));
        assertThat(fillsByService.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
                .as("one color per service").hasSize(fillsByService.size());
        assertThat(Files.readString(svg)).contains(trace.traceId());
    }

    @Test
    void traceOptionsNeedEveryServiceInTheProcess() {
        assertThat(CheckoutApp.Options.parse(new String[] {"--trace-svg", "x.svg"}).trace()).isTrue();
        CheckoutApp.Options parsed = CheckoutApp.Options.parse(new String[] {"--metrics-port", "9464", "--linger", "30", "--trace"});
        assertThat(parsed.metricsPort()).isEqualTo(9464);
        assertThat(parsed.linger()).isEqualTo(Duration.ofSeconds(30));
        assertThat(parsed.trace()).isTrue();
        assertThatThrownBy(() -> CheckoutApp.Options.parse(new String[] {"--service", "payments", "--trace"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--service all");
        assertThatThrownBy(() -> CheckoutApp.Options.parse(new String[] {"--metrics-port", "70000"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckoutApp.Options.parse(new String[] {"--service", "payments,driver,billing"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comma list");
    }

    // --- helpers ---

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI uri = observability.metrics().orElseThrow().uri(path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The spans from the trace's root down to {@code span}, by parent span id. */
    private static List<SpanData> ancestry(SpanData span, List<SpanData> spans) {
        Map<String, SpanData> byId = new HashMap<>();
        spans.stream().filter(s -> s.getTraceId().equals(span.getTraceId())).forEach(s -> byId.put(s.getSpanId(), s));
        List<SpanData> chain = new ArrayList<>();
        for (SpanData at = span; at != null; at = at.getParentSpanContext().isValid() ? byId.get(at.getParentSpanId()) : null) {
            chain.add(0, at);
        }
        return chain;
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The sum of the samples of {@code metric} whose labels include {@code labels}, from Prometheus text. */
    private static double sum(String text, String metric, Map<String, String> labels) {
        double total = 0;
        for (String line : text.lines().toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches() || !sample.group(1).equals(metric)) {
                continue;
            }
            Map<String, String> values = labels(sample.group(2));
            if (labels.entrySet().stream().allMatch(e -> e.getValue().equals(values.get(e.getKey())))) {
                total += Double.parseDouble(sample.group(3));
            }
        }
        return total;
    }

    private static Set<String> labelValues(String text, String label) {
        Set<String> values = new HashSet<>();
        for (String line : text.lines().toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (!line.startsWith("#") && sample.matches()) {
                String value = labels(sample.group(2)).get(label);
                if (value != null) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        if (text != null) {
            Matcher label = LABEL.matcher(text);
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
        }
        return labels;
    }
}
