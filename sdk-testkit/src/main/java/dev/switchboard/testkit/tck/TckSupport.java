package dev.switchboard.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.DeadLetter;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;
import dev.switchboard.spi.Capability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The base of every conformance group: access to the harness, connections that are closed after each test,
 * unique names, capability gates and polling assertions.
 *
 * <p>The harness is injected before each test by {@link HarnessResolver}, from the {@link ConformanceBase}
 * the group is {@code @Nested} in; a group cannot run on its own.
 *
 * <p>Everything a test opens through this class ({@link #open}, {@link #latch}, {@link #executor},
 * {@link #track}) is released after the test, latches first so that blocked handlers return before their
 * subscriptions drain. Waiting is done by polling ({@link #awaitUntil}); sleeping only ever happens to watch,
 * for {@link ConformanceHarness#quietPeriod()}, that something does not happen.
 *
 * @since 0.1
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith({HarnessResolver.class, RuleFailures.class})
public abstract class TckSupport {
    private static final Duration POLL = Duration.ofMillis(15);
    private static final HexFormat HEX = HexFormat.of();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<CountDownLatch> latches = new ArrayList<>();
    private final List<String> topics = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();
    private ConformanceHarness harness;

    @BeforeEach
    void useHarness(ConformanceHarness harness) {
        this.harness = harness;
    }

    /** The provider's harness. */
    protected final ConformanceHarness harness() {
        return harness;
    }

    /** A new connection to the broker under test with the harness's own properties; closed after the test. */
    protected Messaging open() {
        return open(Map.of());
    }

    /** A new connection with {@code overrides} on top of the harness's properties; closed after the test. */
    protected Messaging open(Map<String, String> overrides) {
        Messaging messaging = harness().open(overrides);
        track(() -> messaging.close(Duration.ofSeconds(5)));
        return messaging;
    }

    /** Closes {@code resource} after the test, in reverse order of registration. */
    protected <T extends AutoCloseable> T track(T resource) {
        synchronized (resources) {
            resources.add(resource);
        }
        return resource;
    }

    /** A latch that is released after the test, so that a handler blocked on it lets its subscription drain. */
    protected CountDownLatch latch(int count) {
        CountDownLatch latch = new CountDownLatch(count);
        synchronized (latches) {
            latches.add(latch);
        }
        return latch;
    }

    /** A thread pool that is stopped after the test. */
    protected ExecutorService executor(int threads) {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        track(executor::shutdownNow);
        return executor;
    }

    @AfterEach
    void releaseEverything() throws Exception {
        synchronized (latches) {
            latches.forEach(latch -> {
                while (latch.getCount() > 0) {
                    latch.countDown();
                }
            });
        }
        Exception first = null;
        synchronized (resources) {
            for (int i = resources.size() - 1; i >= 0; i--) {
                try {
                    resources.get(i).close();
                } catch (Exception e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            resources.clear();
        }
        synchronized (topics) {
            try {
                harness().cleanUp(Set.copyOf(topics), Set.copyOf(groups));
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
            topics.clear();
            groups.clear();
        }
        if (first != null) {
            throw first;
        }
    }

    /** A topic name unique to this test run: {@code tck-<what>-<8 hex digits>}; cleaned up after the test. */
    protected String topic(String what) {
        String topic = unique(what);
        synchronized (topics) {
            topics.add(topic);
        }
        return topic;
    }

    /** A group name unique to this test run: {@code tck-<what>-<8 hex digits>}; cleaned up after the test. */
    protected String group(String what) {
        String group = unique(what);
        synchronized (groups) {
            groups.add(group);
        }
        return group;
    }

    /** A unique id for events, {@code <what>-<8 hex digits>}. */
    protected static String id(String what) {
        return what + "-" + HEX.toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    private static String unique(String what) {
        return "tck-" + what + "-" + HEX.toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** Skips the test, with the reason, unless the provider declares {@code capability}. */
    protected static void assumeCapability(Messaging messaging, Capability capability) {
        Assumptions.assumeTrue(messaging.capabilities().contains(capability),
                () -> messaging.brokerName() + " does not declare " + capability);
    }

    /** Polls {@code condition} every 15 ms until it holds, failing after {@code timeout} with what arrived. */
    protected static void awaitUntil(BooleanSupplier condition, Duration timeout, Supplier<String> whatArrived) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("condition not met within " + timeout + "; what arrived: " + whatArrived.get());
            }
            pause(POLL);
        }
    }

    /** {@link #awaitUntil(BooleanSupplier, Duration, Supplier)} with the harness's timeout. */
    protected void awaitUntil(BooleanSupplier condition, Supplier<String> whatArrived) {
        awaitUntil(condition, harness().timeout(), whatArrived);
    }

    /** Waits until {@code collection} holds at least {@code n} elements. */
    protected void awaitSize(Collection<?> collection, int n) {
        awaitUntil(() -> collection.size() >= n, () -> collection.size() + " of " + n + ": " + abbreviate(collection));
    }

    /** Waits until {@code inbox} holds at least {@code n} items. */
    protected void awaitSize(Inbox<?> inbox, int n) {
        awaitUntil(() -> inbox.size() >= n, () -> inbox.size() + " of " + n + ": " + inbox);
    }

    /**
     * Watches {@code invariant} for the harness's quiet period, failing as soon as it breaks; for "nothing
     * else arrives" checks.
     */
    protected void assertDuringQuietPeriod(BooleanSupplier invariant, Supplier<String> whatArrived) {
        long deadline = System.nanoTime() + harness().quietPeriod().toNanos();
        do {
            if (!invariant.getAsBoolean()) {
                fail("something arrived that should not have: " + whatArrived.get());
            }
            pause(POLL);
        } while (System.nanoTime() - deadline < 0);
        if (!invariant.getAsBoolean()) {
            fail("something arrived that should not have: " + whatArrived.get());
        }
    }

    /** For handlers: waits for {@code latch} at most the harness's timeout, returning whether it opened. */
    protected boolean awaitLatch(CountDownLatch latch) {
        try {
            return latch.await(harness().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Publishes and waits for the broker's confirmation, failing the test if it does not come. */
    protected PublishResult send(Messaging messaging, String topic, Object event) {
        return join(messaging.publisher().publish(topic, event));
    }

    /** The result of {@code stage}, failing the test if it failed or took longer than the harness's timeout. */
    protected <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(harness().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return fail("expected success, failed with " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            return fail("no outcome within " + harness().timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** The {@link MessagingException} {@code stage} completed with, failing the test if it succeeded. */
    protected MessagingException failureOf(CompletionStage<?> stage) {
        return failureOf(stage, harness().timeout());
    }

    /** As {@link #failureOf(CompletionStage)}, waiting at most {@code timeout}. */
    protected static MessagingException failureOf(CompletionStage<?> stage, Duration timeout) {
        try {
            Object result = stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return fail("expected a MessagingException, but it succeeded with " + result);
        } catch (ExecutionException e) {
            return assertInstanceOf(MessagingException.class, e.getCause(),
                    "a failure must be a MessagingException, was " + e.getCause());
        } catch (TimeoutException e) {
            return fail("no outcome within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** Waits until the group has at least {@code n} dead letters, and returns them (without removing them). */
    protected List<DeadLetter> awaitDeadLetters(Messaging messaging, String topic, String group, int n) {
        List<List<DeadLetter>> last = new ArrayList<>(List.of(List.of()));
        awaitUntil(() -> {
            last.set(0, messaging.deadLetters(topic, group).list(Math.max(10, n * 2), Duration.ofMillis(200)));
            return last.get(0).size() >= n;
        }, () -> last.get(0).size() + " dead letters of " + n + ": " + last.get(0));
        return last.get(0);
    }

    /** Sleeps; only for pacing and for watching that something does not happen. */
    protected static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** {@code count} text events with ids unique to this call, {@code <prefix>-<hex>-<i>}. */
    protected static List<EventEnvelope> notes(String prefix, int count) {
        String run = id(prefix);
        return IntStream.range(0, count).mapToObj(i -> TckEvents.note(run + "-" + i)).toList();
    }

    /** The ids of {@code events}. */
    protected static Set<String> idsOf(List<EventEnvelope> events) {
        return events.stream().map(EventEnvelope::id).collect(Collectors.toSet());
    }

    static String abbreviate(Collection<?> collection) {
        List<?> copy = new ArrayList<>(collection);
        return copy.size() > 50 ? copy.subList(0, 50) + " (+" + (copy.size() - 50) + " more)" : copy.toString();
    }
}
