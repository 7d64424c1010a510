package dev.switchboard.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import dev.switchboard.inmemory.InMemoryBroker;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The setup snippet of the README's "Traces ({@code switchboard-opentelemetry})" section, compiled and run here,
 * and checked against the README.
 */
class ReadmeSnippetTest {
    private static final Path README = Path.of("../README.md");
    private static final Path THIS_SOURCE = Path.of("src/test/java/dev/switchboard/opentelemetry/ReadmeSnippetTest.java");
    private static final String SECTION = "### Traces (`switchboard-opentelemetry`)";

    @Test
    void theReadmeSetupTracesAPublishAndItsHandling() {
        InMemorySpanExporter spanExporter = InMemorySpanExporter.create(); // OtlpGrpcSpanExporter in the README
        InMemoryBroker broker = InMemoryBroker.create();
        // not in the README: switchboard.* configuration as usual
        System.setProperty("switchboard.broker", "in-memory");
        System.setProperty("switchboard.in-memory.instance", broker.name());
        try {
            // README begin
            OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder()
                            .addSpanProcessor(BatchSpanProcessor.builder(spanExporter).build())
                            .build())
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                    .build();

            Messaging messaging = Messaging.builder()
                    .instrumentation(SwitchboardTracing.create(openTelemetry))
                    .build();
            // README end

            try (messaging; openTelemetry) {
                messaging.subscribe(Subscription.to("orders").group("billing").on("t", String.class, (text, ctx) -> { }));
                messaging.publisher().publishAndWait("orders", EventEnvelope.builder().type("t").data("x").build());

                await().atMost(TestTracing.TIMEOUT).until(() -> {
                    openTelemetry.getSdkTracerProvider().forceFlush().join(1, TimeUnit.SECONDS);
                    return spanExporter.getFinishedSpanItems().size() == 2;
                });
                List<SpanData> spans = spanExporter.getFinishedSpanItems();
                assertThat(spans).extracting(SpanData::getKind).containsExactlyInAnyOrder(SpanKind.PRODUCER, SpanKind.CONSUMER);
                assertThat(spans).extracting(SpanData::getTraceId).containsOnly(spans.get(0).getTraceId());
            }
        } finally {
            System.clearProperty("switchboard.broker");
            System.clearProperty("switchboard.in-memory.instance");
            broker.close();
        }
    }

    @Test
    void theReadmeShowsTheSnippetAsItIsHere() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf(SECTION);
        assertThat(start).as("the README has the section " + SECTION).isNotNegative();
        Matcher next = Pattern.compile("\\n#{2,3} ").matcher(readme);
        String section = next.find(start + SECTION.length()) ? readme.substring(start, next.start()) : readme.substring(start);
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        List<String> blocks = new ArrayList<>();
        while (block.find()) {
            blocks.add(block.group(1));
        }
        String source = normalized(Files.readString(THIS_SOURCE));

        assertThat(blocks).isNotEmpty();
        assertThat(blocks).allSatisfy(b -> assertThat(source).contains(normalized(b)));
    }

    /** Whitespace runs as one space: indentation differs between the README and a method body. */
    private static String normalized(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
