package dev.switchboard.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Health;
import dev.switchboard.Messaging;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscription;
import dev.switchboard.instrumentation.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java of the README's "Health" and "In unit tests" sections (under Observability) compiles and works: it
 * is copied here between the markers, and the copies are checked against the README.
 */
class ReadmeObservabilitySnippetsTest {
    private static final Path README = Path.of("../README.md");
    private static final Path THIS_SOURCE =
            Path.of("src/test/java/dev/switchboard/inmemory/ReadmeObservabilitySnippetsTest.java");

    @Test
    void theHealthSnippetReadsAReadyAndAliveInstance() {
        try (InMemoryBroker broker = InMemoryBroker.create(); Messaging messaging = broker.connect()) {
            messaging.subscribe(Subscription.to("orders").group("billing").onEnvelope((event, context) -> { }));
            messaging.publisher().publishAndWait("orders", EventEnvelope.builder().type("t").data("x").build());
            broker.outcomes().awaitSettlement(s -> s.topic().equals("orders"));

            // README begin
            Health health = messaging.health();
            boolean ready = health.isReady();   // UP: connected, every subscription running
            boolean alive = health.isAlive();   // not DOWN: a broker outage alone keeps a service alive
            // README end

            assertThat(ready).as("ready: %s", health).isTrue();
            assertThat(alive).isTrue();
        }
    }

    @Test
    void theUnitTestSnippetAwaitsTheDeadLetterAfterTwoRetries() {
        try (InMemoryBroker broker = InMemoryBroker.create(); Messaging messaging = broker.connect()) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .retry(RetryPolicy.fixed(3, Duration.ofMillis(10)))
                    .onEnvelope((event, context) -> {
                        throw new IllegalStateException("always");
                    }));
            messaging.publisher().publishAndWait("orders", EventEnvelope.builder().type("t").data("x").build());

            // README begin
            RecordingInstrumentation.Settlement last = broker.outcomes()
                    .awaitSettlement(s -> s.outcome().kind() == Outcome.Kind.DEAD_LETTERED);
            assertThat(broker.outcomes().count(Outcome.Kind.RETRY_SCHEDULED)).isEqualTo(2);
            // README end

            assertThat(last.attempt()).isEqualTo(3);
        }
    }

    @Test
    void theReadmeShowsTheSnippetsAsTheyAreHere() throws IOException {
        String readme = Files.readString(README);
        List<String> blocks = new ArrayList<>();
        blocks.addAll(javaBlocks(section(readme, "### Health (`Messaging.health()`, core)")));
        blocks.addAll(javaBlocks(section(readme, "### In unit tests")));
        String source = normalized(Files.readString(THIS_SOURCE));

        assertThat(blocks).hasSize(2);
        assertThat(blocks).allSatisfy(block -> assertThat(source).contains(normalized(block)));
    }

    private static String section(String readme, String heading) {
        int start = readme.indexOf(heading);
        assertThat(start).as("the README has the section " + heading).isNotNegative();
        Matcher next = Pattern.compile("\\n#{2,3} ").matcher(readme);
        return next.find(start + heading.length()) ? readme.substring(start, next.start()) : readme.substring(start);
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
