package dev.switchboard.internal.publish;

import dev.switchboard.internal.config.CoreSettings;
import dev.switchboard.internal.InMemoryDeduplicationStore;
import dev.switchboard.internal.Observers;
import dev.switchboard.internal.RuntimeContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.BatchPublishResult;
import dev.switchboard.DeduplicationStore;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.PayloadCodec;
import dev.switchboard.PublishResult;
import dev.switchboard.SwitchboardConfig;
import dev.switchboard.TypeRegistry;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.instrumentation.PublishContext;
import dev.switchboard.instrumentation.PublishObservation;
import dev.switchboard.spi.Batching;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The portable publish path against a scripted driver: batching, size limit, classification and retries. */
class PublishPipelineTest {
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anObserverSeesEachPublishOnTheCallersThreadAddsExtensionsAndLearnsHowItEnded() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);
        broker.answers.add(m -> CompletableFuture.completedFuture("ref-" + m.id()));
        broker.answers.add(m -> CompletableFuture.failedFuture(new FakeBroker.NativeFailure(ErrorCode.PERMISSION_DENIED)));
        List<String> seen = new CopyOnWriteArrayList<>();
        Instrumentation tracing = new Instrumentation() {
            @Override
            public PublishObservation publishStarted(PublishContext publish) {
                seen.add("start " + publish.system() + " " + publish.topic() + " " + publish.envelope().id() + " on "
                        + Thread.currentThread().getName());
                publish.setExtension("traceparent", "00-" + "a".repeat(32) + "-" + "b".repeat(16) + "-01");
                return new PublishObservation() {
                    @Override
                    public void published(PublishResult result) {
                        seen.add("published " + result.eventId() + " " + result.brokerReference());
                    }

                    @Override
                    public void failed(MessagingException failure) {
                        seen.add("failed " + publish.envelope().id() + " " + failure.code());
                    }
                };
            }
        };
        PublishPipeline pipeline = pipeline(broker, Map.of(), Observers.of(List.of(tracing)));

        BatchPublishResult results = pipeline.publishAll("orders", List.of(event("e-1"), event("e-2")))
                .toCompletableFuture().join();

        assertThat(results.entries().get(1).error()).isPresent();
        String caller = Thread.currentThread().getName();
        // the observers hear of the end on the thread that completed the publish, which may finish after the caller's
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 4);
        assertThat(seen).containsExactlyInAnyOrder("start fake orders e-1 on " + caller,
                "start fake orders e-2 on " + caller, "published e-1 ref-e-1", "failed e-2 PERMISSION_DENIED");
        assertThat(broker.sentAttributes).allSatisfy(attributes -> assertThat(attributes)
                .containsEntry("ce_traceparent", "00-" + "a".repeat(32) + "-" + "b".repeat(16) + "-01"));
    }

    @Test
    void aFailingObserverNeitherFailsThePublishNorChangesTheEvent() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);
        Instrumentation broken = new Instrumentation() {
            @Override
            public PublishObservation publishStarted(PublishContext publish) {
                throw new IllegalStateException("observer bug");
            }
        };

        PublishResult result = pipeline(broker, Map.of(), Observers.of(List.of(broken))).publish("orders", event("e-1"))
                .toCompletableFuture().join();

        assertThat(result.eventId()).isEqualTo("e-1");
        assertThat(broker.sentAttributes.get(0)).doesNotContainKey("ce_traceparent");
    }

    private PublishPipeline pipeline(FakeBroker broker, Map<String, String> properties) {
        return pipeline(broker, properties, Observers.none());
    }

    private PublishPipeline pipeline(FakeBroker broker, Map<String, String> properties, Observers observers) {
        CoreSettings settings = CoreSettings.from(SwitchboardConfig.of(properties));
        DeduplicationStore dedup = new InMemoryDeduplicationStore();
        RuntimeContext context = new RuntimeContext("fake", broker, settings, PayloadCodec.json(), new TypeRegistry(),
                dedup, scheduler, observers, () -> { });
        return new PublishPipeline(context);
    }

    private static EventEnvelope event(String id) {
        return EventEnvelope.builder().id(id).type("com.example.noted").data("x").build();
    }

    @Test
    void aPublishCompletesWithTheBrokersReference() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);

        PublishResult result = pipeline(broker, Map.of()).publish("orders", event("e-1")).toCompletableFuture().join();

        assertThat(result.eventId()).isEqualTo("e-1");
        assertThat(result.brokerReference()).isEqualTo("ref-e-1");
        assertThat(broker.topologyCalls).containsExactly("createTopic orders");
    }

    @Test
    void aSinglePublishIsObservedAndSendsTheExtensionsTheObserverSet() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);
        List<String> seen = new CopyOnWriteArrayList<>();
        Instrumentation tracing = new Instrumentation() {
            @Override
            public PublishObservation publishStarted(PublishContext publish) {
                seen.add("start " + publish.envelope().id());
                publish.setExtension("traceparent", "00-" + "a".repeat(32) + "-" + "b".repeat(16) + "-01");
                return new PublishObservation() {
                    @Override
                    public void published(PublishResult result) {
                        seen.add("published " + result.eventId() + " " + result.brokerReference());
                    }

                    @Override
                    public void failed(MessagingException failure) {
                        seen.add("failed " + failure.code());
                    }
                };
            }
        };

        PublishResult result = pipeline(broker, Map.of(), Observers.of(List.of(tracing)))
                .publish("orders", event("e-1")).toCompletableFuture().join();

        assertThat(result.brokerReference()).isEqualTo("ref-e-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly("start e-1", "published e-1 ref-e-1");
        assertThat(broker.sentAttributes).singleElement().satisfies(attributes -> assertThat(attributes)
                .containsEntry("ce_traceparent", "00-" + "a".repeat(32) + "-" + "b".repeat(16) + "-01"));
    }

    @Test
    void aSingleOversizePublishFailsWithInvalidArgumentAndIsNeverSent() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 300);
        EventEnvelope big = EventEnvelope.builder().id("big").type("t").data("x".repeat(400)).build();

        CompletableFuture<PublishResult> publish = pipeline(broker, Map.of()).publish("orders", big).toCompletableFuture();

        assertThatThrownBy(publish::join).cause().isInstanceOfSatisfying(MessagingException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e).hasMessageContaining("at most 300 bytes");
        });
        assertThat(broker.sendCalls).isEmpty();
    }

    @Test
    void aPublishTheDriverConfirmedAtOnceIsCompleteWhenPublishReturns() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);
        broker.answersAtOnce = true; // provisioning too, as the in-memory broker's
        broker.answers.add(m -> CompletableFuture.completedFuture("at-once"));

        CompletableFuture<PublishResult> publish = pipeline(broker, Map.of()).publish("orders", event("e-1"))
                .toCompletableFuture();

        assertThat(publish).isCompleted();
        assertThat(publish.join().brokerReference()).isEqualTo("at-once");
        assertThat(publish.join().eventId()).isEqualTo("e-1");
    }

    @Test
    void publishAllSendsBatchesOfTheDriversSize() {
        FakeBroker broker = new FakeBroker(new Batching(2, 1), 1000);

        BatchPublishResult result = pipeline(broker, Map.of())
                .publishAll("orders", List.of(event("a"), event("b"), event("c"))).toCompletableFuture().join();

        assertThat(result.allSucceeded()).isTrue();
        assertThat(broker.sendCalls).containsExactly(List.of("a", "b"), List.of("c"));
    }

    @Test
    void anOversizeEventFailsAloneWithInvalidArgumentAndIsNeverSent() {
        FakeBroker broker = new FakeBroker(new Batching(10, 1), 300);
        EventEnvelope big = EventEnvelope.builder().id("big").type("t").data("x".repeat(400)).build();

        BatchPublishResult result = pipeline(broker, Map.of())
                .publishAll("orders", List.of(event("small"), big)).toCompletableFuture().join();

        assertThat(result.entries().get(0).succeeded()).isTrue();
        assertThat(result.entries().get(1).error().orElseThrow().code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(result.entries().get(1).error().orElseThrow()).hasMessageContaining("at most 300 bytes");
        assertThat(broker.sendCalls).containsExactly(List.of("small"));
    }

    @Test
    void aRetryableFailureIsSentAgainWithinTheDeadline() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);
        broker.answers.add(m -> CompletableFuture.failedFuture(new FakeBroker.NativeFailure(ErrorCode.UNAVAILABLE)));

        PublishResult result = pipeline(broker, Map.of()).publish("orders", event("e-1"))
                .toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(result.brokerReference()).isEqualTo("ref-e-1");
        assertThat(broker.sendCalls).containsExactly(List.of("e-1"), List.of("e-1"));
    }

    @Test
    void aFailureThatIsNotRetryableFailsAtOnceClassifiedByTheDriver() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);
        broker.answers.add(m -> CompletableFuture.failedFuture(new FakeBroker.NativeFailure(ErrorCode.PERMISSION_DENIED)));

        CompletableFuture<PublishResult> publish = pipeline(broker, Map.of()).publish("orders", event("e-1")).toCompletableFuture();

        assertThatThrownBy(publish::join).cause().isInstanceOfSatisfying(MessagingException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        assertThat(broker.sendCalls).hasSize(1);
    }

    @Test
    void retriesStopAtTheDeadlineWhichFailsThePublish() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);
        for (int i = 0; i < 100; i++) {
            broker.answers.add(m -> CompletableFuture.failedFuture(new FakeBroker.NativeFailure(ErrorCode.UNAVAILABLE)));
        }

        CompletableFuture<PublishResult> publish = pipeline(broker, Map.of("switchboard.publish.timeout", "400ms"))
                .publish("orders", event("e-1")).toCompletableFuture();

        assertThatThrownBy(() -> publish.get(5, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(MessagingException.class,
                e -> assertThat(e.code()).isIn(ErrorCode.UNAVAILABLE, ErrorCode.DEADLINE_EXCEEDED));
        assertThat(broker.sendCalls.size()).isBetween(2, 4);
    }

    @Test
    void anUnconfirmedPublishFailsWithDeadlineExceeded() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);
        broker.answers.add(m -> new CompletableFuture<>());

        CompletableFuture<PublishResult> publish = pipeline(broker, Map.of("switchboard.publish.timeout", "200ms"))
                .publish("orders", event("e-1")).toCompletableFuture();

        assertThatThrownBy(() -> publish.get(5, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(MessagingException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
    }

    @Test
    void validateFailsWithNotFoundNamingTheTopicAndTheKey() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);

        CompletableFuture<PublishResult> publish = pipeline(broker, Map.of("switchboard.provisioning", "validate"))
                .publish("missing", event("e-1")).toCompletableFuture();

        assertThatThrownBy(publish::join).cause().isInstanceOfSatisfying(MessagingException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e).hasMessageContaining("\"missing\"").hasMessageContaining("switchboard.provisioning=validate");
        });
        assertThat(broker.sendCalls).isEmpty();
    }

    @Test
    void provisioningIsRememberedAndNoneTouchesNothing() {
        FakeBroker created = new FakeBroker(Batching.NONE, 1000);
        PublishPipeline pipeline = pipeline(created, Map.of());
        pipeline.publish("orders", event("a")).toCompletableFuture().join();
        pipeline.publish("orders", event("b")).toCompletableFuture().join();
        FakeBroker untouched = new FakeBroker(Batching.NONE, 1000);

        pipeline(untouched, Map.of("switchboard.provisioning", "none")).publish("orders", event("c")).toCompletableFuture().join();

        assertThat(created.topologyCalls).containsExactly("createTopic orders");
        assertThat(untouched.topologyCalls).isEmpty();
    }

    @Test
    void publishesAlternatingBetweenTopicsProvisionEachOnceAndGoToTheirOwnTopic() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);
        PublishPipeline pipeline = pipeline(broker, Map.of());

        List<String> topics = List.of("a", "b", "a", "a", "b").stream()
                .map(topic -> pipeline.publish(topic, event("e-" + topic)).toCompletableFuture().join().topic())
                .toList();

        assertThat(topics).containsExactly("a", "b", "a", "a", "b");
        assertThat(broker.topologyCalls).containsExactly("createTopic a", "createTopic b");
    }

    @Test
    void publishDoesNotWaitForProvisioningAndWhatWaitedGoesOutInPublishOrderInOneCall() {
        FakeBroker broker = new FakeBroker(new Batching(10, 1), 1000);
        broker.provisioningGate = new java.util.concurrent.CountDownLatch(1);
        PublishPipeline pipeline = pipeline(broker, Map.of());

        List<CompletableFuture<PublishResult>> publishes = List.of("e-1", "e-2", "e-3").stream()
                .map(id -> pipeline.publish("slow", event(id)).toCompletableFuture()).toList();

        assertThat(publishes).noneMatch(CompletableFuture::isDone);
        assertThat(broker.sendCalls).isEmpty();
        broker.provisioningGate.countDown();
        publishes.forEach(CompletableFuture::join);
        assertThat(broker.sendCalls).containsExactly(List.of("e-1", "e-2", "e-3"));
        assertThat(broker.topologyCalls).containsExactly("createTopic slow");
    }

    @Test
    void publishesWaitingForAProvisioningThatFailsFailWithItAndAreNeverSent() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);
        broker.provisioningGate = new java.util.concurrent.CountDownLatch(1);
        PublishPipeline pipeline = pipeline(broker, Map.of("switchboard.provisioning", "validate"));

        CompletableFuture<PublishResult> first = pipeline.publish("absent", event("e-1")).toCompletableFuture();
        CompletableFuture<PublishResult> second = pipeline.publish("absent", event("e-2")).toCompletableFuture();
        broker.provisioningGate.countDown();

        for (CompletableFuture<PublishResult> publish : List.of(first, second)) {
            assertThatThrownBy(publish::join).cause().isInstanceOfSatisfying(MessagingException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
        assertThat(broker.topologyCalls).containsExactly("topicExists absent");
        assertThat(broker.sendCalls).isEmpty();
    }

    @Test
    void aTopicThatFailedValidationIsCheckedAgainOnTheNextPublish() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);
        PublishPipeline pipeline = pipeline(broker, Map.of("switchboard.provisioning", "validate"));

        CompletableFuture<PublishResult> first = pipeline.publish("late", event("e-1")).toCompletableFuture();
        await().atMost(Duration.ofSeconds(10)).until(first::isDone);
        broker.createTopic("late");
        PublishResult second = pipeline.publish("late", event("e-2")).toCompletableFuture().join();

        assertThatThrownBy(first::join).cause().isInstanceOfSatisfying(MessagingException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(second.topic()).isEqualTo("late");
        assertThat(broker.sendCalls).containsExactly(List.of("e-2"));
    }

    @Test
    void aBadArgumentRefusedByTheClientIsInvalidArgumentOnEveryBroker() {
        FakeBroker broker = new FakeBroker(Batching.NONE, 1000);
        broker.answers.add(m -> CompletableFuture.failedFuture(new IllegalArgumentException("name longer than 255 bytes")));

        CompletableFuture<PublishResult> publish = pipeline(broker, Map.of()).publish("orders", event("e-1")).toCompletableFuture();

        assertThatThrownBy(publish::join).cause().isInstanceOfSatisfying(MessagingException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
}
