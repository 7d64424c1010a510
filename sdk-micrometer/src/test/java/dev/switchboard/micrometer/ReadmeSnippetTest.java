package dev.switchboard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Messaging;
import dev.switchboard.inmemory.InMemoryBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java of the README's "Metrics ({@code switchboard-micrometer})" section compiles and works: it is copied
 * here, and the copy is checked against the README.
 */
class ReadmeSnippetTest {
    private static final Path README = Path.of("../README.md");
    private static final String SECTION = "### Metrics (`switchboard-micrometer`)";
    private static final Path THIS_SOURCE = Path.of("src/test/java/dev/switchboard/micrometer/ReadmeSnippetTest.java");

    @Test
    void theSnippetRegistersMetricsAndObservations() {
        MeterRegistry meterRegistry = new SimpleMeterRegistry();
        TestObservationRegistry observationRegistry = TestObservationRegistry.create();
        try (InMemoryBroker broker = InMemoryBroker.create()) {
            System.setProperty("switchboard.in-memory.instance", broker.name());
            try (Messaging messaging = snippet(meterRegistry, observationRegistry)) {
                messaging.provision("orders", "billing");
                messaging.publisher().publishAndWait("orders", Connections.event("order.placed", "o-1"));
                assertThat(messaging.brokerName()).isEqualTo("in-memory");
            } finally {
                System.clearProperty("switchboard.in-memory.instance");
            }
        }
        assertThat(meterRegistry.find(SwitchboardMetrics.SENT_MESSAGES).counter()).isNotNull();
        TestObservationRegistryAssert.assertThat(observationRegistry)
                .hasObservationWithNameEqualTo(DefaultEventSenderObservationConvention.NAME);
    }

    @Test
    void theReadmeShowsTheSnippetAsItIsHere() throws IOException {
        String source = normalized(Files.readString(THIS_SOURCE));
        List<String> blocks = javaBlocks(section(Files.readString(README)));

        assertThat(blocks).isNotEmpty();
        assertThat(blocks).allSatisfy(block -> assertThat(source).contains(normalized(block)));
    }

    /** The README's snippet, verbatim between the markers; the registries are what Spring Boot would pass. */
    private static Messaging snippet(MeterRegistry meterRegistry, ObservationRegistry observationRegistry) {
        // README begin
        Messaging messaging = Messaging.builder()
                .instrumentation(new SwitchboardMetrics(meterRegistry))
                .instrumentation(new SwitchboardObservations(observationRegistry))
                .build();

        // options: fewer distinct event types as tag values (default 100, the rest are "_other")
        SwitchboardMetrics metrics = SwitchboardMetrics.builder(meterRegistry).maxEventTypes(20).build();
        // README end
        return messaging;
    }

    /** The README from {@link #SECTION} to the next heading of its level or above. */
    private static String section(String readme) {
        int start = readme.indexOf(SECTION);
        assertThat(start).as("the README has the section " + SECTION).isNotNegative();
        Matcher next = Pattern.compile("\n#{2,3} ").matcher(readme);
        return next.find(start + SECTION.length()) ? readme.substring(start, next.start()) : readme.substring(start);
    }

    private static List<String> javaBlocks(String markdown) {
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Whitespace runs as one space: indentation differs between the README and a method body. */
    private static String normalized(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
