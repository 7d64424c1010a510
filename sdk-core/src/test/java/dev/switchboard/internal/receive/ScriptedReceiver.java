package dev.switchboard.internal.receive;

import dev.switchboard.DeadLetter;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.EventEnvelope;
import dev.switchboard.internal.DeadLetterDiagnostics;
import dev.switchboard.spi.Batching;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A receiver that hands out scripted messages and failures in order, and records every call the runtime makes:
 * {@link #calls()} reads like {@code ["receive [m1, m2, m3]", "ack m1", "nack m2 250ms",
 * "deadLetter m3 malformed", "ack m3", "pause", "close"]}, an ack or nack call listing its messages. A receive
 * waits (up to its timeout) for something to be scripted. It can fail dead-letter writes and acks, and hold
 * acks until the test completes them. It tracks how many messages the subscription could hold at most (those
 * out, that is handed out and neither acked nor nacked, plus what a receive asked for). Thread-safe.
 */
final class ScriptedReceiver implements ReceiverDriver {
    private final Deque<Object> script = new ArrayDeque<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Integer> receiveSizes = new CopyOnWriteArrayList<>();
    private final List<Duration> receiveWaits = new CopyOnWriteArrayList<>();
    private volatile Duration preferredWait = Duration.ZERO;
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> heldAcks = new ArrayList<>();
    private int out;
    private int mostHeld;
    private int deadLetterFailures;
    private int deadLetterPayloadLimit = Integer.MAX_VALUE;
    private Predicate<InboundMessage> failAck = m -> false;
    private boolean holdAcks;
    private boolean closed;
    private Batching settlementBatching = Batching.NONE;
    private int concurrentReceives = 1;
    private Runnable onPause = () -> { };

    synchronized ScriptedReceiver deliver(InboundMessage... messages) {
        script.addAll(List.of(messages));
        notifyAll();
        return this;
    }

    /** The next receive throws {@code failure}. */
    synchronized ScriptedReceiver failReceive(RuntimeException failure) {
        script.add(failure);
        notifyAll();
        return this;
    }

    /** Dead letters with a payload larger than {@code bytes} are refused as invalid (a broker's size limit). */
    synchronized ScriptedReceiver refuseDeadLettersOver(int bytes) {
        deadLetterPayloadLimit = bytes;
        return this;
    }

    /** The next {@code writes} dead-letter writes fail. */
    synchronized ScriptedReceiver failDeadLetterWrites(int writes) {
        deadLetterFailures = writes;
        return this;
    }

    /** Ack calls of messages that match fail. */
    synchronized ScriptedReceiver failAcks(Predicate<InboundMessage> which) {
        failAck = which;
        return this;
    }

    /** Ack calls stay incomplete until {@link #completeHeldAcks()}. */
    synchronized ScriptedReceiver holdAcks() {
        holdAcks = true;
        return this;
    }

    synchronized ScriptedReceiver settlementBatching(Batching batching) {
        settlementBatching = batching;
        return this;
    }

    ScriptedReceiver preferredWait(Duration wait) {
        preferredWait = wait;
        return this;
    }

    /** The {@code maxWait} of every receive call, in order. */
    List<Duration> receiveWaits() {
        return receiveWaits;
    }

    @Override
    public Duration preferredWait() {
        return preferredWait;
    }

    synchronized ScriptedReceiver maxConcurrentReceives(int receives) {
        concurrentReceives = receives;
        return this;
    }

    /** Runs {@code action} when the drain pauses the receiver. */
    synchronized ScriptedReceiver onPause(Runnable action) {
        onPause = action;
        return this;
    }

    void completeHeldAcks() {
        List<CompletableFuture<Void>> held;
        synchronized (this) {
            held = List.copyOf(heldAcks);
            heldAcks.clear();
            holdAcks = false;
        }
        calls.add("acks completed");
        held.forEach(ack -> ack.complete(null));
    }

    List<String> calls() {
        return calls;
    }

    /** The calls that start with {@code prefix}, such as {@code "ack"}. */
    List<String> calls(String prefix) {
        return calls.stream().filter(call -> call.startsWith(prefix + " ") || call.equals(prefix)).toList();
    }

    /** The {@code max} of every receive call, in order. */
    List<Integer> receiveSizes() {
        return receiveSizes;
    }

    List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** The most messages the subscription could have held at once: those out plus what a receive asked for. */
    synchronized int mostHeld() {
        return mostHeld;
    }

    @Override
    public synchronized List<? extends InboundMessage> receive(int max, Duration maxWait) throws InterruptedException {
        receiveSizes.add(max);
        receiveWaits.add(maxWait);
        mostHeld = Math.max(mostHeld, out + max);
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (script.isEmpty() && !closed) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return List.of();
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        if (closed) {
            return List.of();
        }
        if (script.peek() instanceof RuntimeException failure) {
            script.poll();
            calls.add("receive failed");
            throw failure;
        }
        List<InboundMessage> batch = new ArrayList<>();
        while (batch.size() < max && script.peek() instanceof InboundMessage message) {
            batch.add((InboundMessage) script.poll());
        }
        out += batch.size();
        calls.add("receive " + batch);
        return batch;
    }

    @Override
    public int maxConcurrentReceives() {
        return concurrentReceives;
    }

    @Override
    public synchronized Batching settlementBatching() {
        return settlementBatching;
    }

    @Override
    public CompletableFuture<Void> ack(List<InboundMessage> messages) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        synchronized (this) {
            out -= messages.size();
            calls.add("ack " + ids(messages));
            if (messages.stream().anyMatch(failAck)) {
                return CompletableFuture.failedFuture(new IllegalStateException("scripted ack failure"));
            }
            if (holdAcks) {
                heldAcks.add(result);
                return result;
            }
        }
        result.complete(null);
        return result;
    }

    @Override
    public synchronized CompletableFuture<Void> nack(List<InboundMessage> messages, Duration delay) {
        out -= messages.size();
        calls.add("nack " + ids(messages) + " " + delay.toMillis() + "ms");
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> deadLetter(InboundMessage original, OutboundMessage deadLetter) {
        EventEnvelope envelope = deadLetter.unwrap(EventEnvelope.class).orElseThrow();
        DeadLetter read = DeadLetterDiagnostics.read(envelope, "?", "?");
        if (deadLetterFailures > 0) {
            deadLetterFailures--;
            calls.add("deadLetter failed " + original.transportId());
            return CompletableFuture.failedFuture(new IllegalStateException("scripted dead-letter failure"));
        }
        if (envelope.payload().size() > deadLetterPayloadLimit) {
            calls.add("deadLetter refused " + original.transportId());
            return CompletableFuture.failedFuture(new MessagingException(ErrorCode.INVALID_ARGUMENT, "too large"));
        }
        calls.add("deadLetter " + original.transportId() + " " + read.reason());
        deadLetters.add(read);
        return CompletableFuture.completedFuture(null);
    }

    private static String ids(List<InboundMessage> messages) {
        return String.join(" ", messages.stream().map(InboundMessage::transportId).toList());
    }

    @Override
    public void pause() {
        calls.add("pause");
        Runnable action;
        synchronized (this) {
            action = onPause;
        }
        action.run();
    }

    @Override
    public synchronized void close() {
        calls.add("close");
        closed = true;
        notifyAll();
    }
}
