package dev.switchboard.rabbitmq.internal;

import java.io.IOException;

/**
 * The deliveries of one consumer channel that are not settled on the wire yet, in delivery-tag order, and the
 * fewest frames that settle them. An ack is held while other deliveries of the channel are still running (they
 * will finish soon and share the frame). Once {@code batch} acks are held, or none is running any more, the
 * run of finished deliveries at the head — every delivery up to it finished — goes as one {@code basic.ack}
 * with {@code multiple}. Finished deliveries behind one still running wait for it to join the run, or for
 * {@link #flush} (the receiver schedules one shortly after an ack is held), which writes each as its own
 * {@code basic.ack}: a slow handler never holds the others' acks for longer than until the next flush. A lone
 * delivery is acked at once, so a consumer that keeps up adds no delay.
 *
 * <p>A requeue ({@code basic.nack}) is written at once. A multiple ack always ends on a tag this object
 * acks, never on a requeued one, and never passes a delivery still running. Every settle is idempotent: a
 * second ack or requeue of a delivery does nothing. {@link #reset} forgets everything when the channel goes
 * down: those tags died with it, and settling them afterwards writes nothing (with automatic recovery the
 * channel's later tags are higher than every earlier one, so a multiple ack of a later tag never reaches back).
 *
 * <p>Thread-safe: every method holds this object's lock, and frames are written while holding it, so that a
 * requeue is on the wire before any multiple ack whose range passes its tag.
 */
final class AckCoalescer {
    /** Where the frames go, the consumer channel: {@code basic.ack}, or {@code basic.nack} with requeue for one tag. */
    @FunctionalInterface
    interface Frames {
        void write(long deliveryTag, boolean multiple, boolean requeue) throws IOException;
    }

    /** What a settle did. */
    enum Outcome {
        /** Written now. */
        WRITTEN,
        /** An ack held for a later frame: written by the next flush at the latest. */
        HELD,
        /** The delivery was settled before: nothing written. */
        ALREADY_SETTLED,
        /** The channel went down since the delivery: nothing written, the broker redelivers it. */
        STALE
    }

    private enum State { RUNNING, HELD, SETTLED, STALE }

    /** One delivery: a node of the list of unsettled ones. Guarded by the coalescer's lock. */
    static final class Tag {
        private final long value;
        private State state = State.RUNNING;
        private Tag previous;
        private Tag next;

        private Tag(long value) {
            this.value = value;
        }
    }

    private final Frames frames;
    private final int batch;
    /** Running and held deliveries, ascending tags. */
    private Tag head;
    private Tag tail;
    private int running;
    private int held;

    /** @param batch how many finished deliveries may be held before they are written (at least 1) */
    AckCoalescer(Frames frames, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, was " + batch);
        }
        this.frames = frames;
        this.batch = batch;
    }

    /** Records a delivery. A channel delivers ascending tags, so it goes last; a lower one still goes in order. */
    synchronized Tag delivered(long deliveryTag) {
        Tag tag = new Tag(deliveryTag);
        Tag before = tail;
        while (before != null && before.value > deliveryTag) {
            before = before.previous;
        }
        Tag after = before == null ? head : before.next;
        tag.previous = before;
        tag.next = after;
        if (before == null) {
            head = tag;
        } else {
            before.next = tag;
        }
        if (after == null) {
            tail = tag;
        } else {
            after.previous = tag;
        }
        running++;
        return tag;
    }

    /** Acks {@code tag}: held while others run; the run at the head is written when the batch is full or none runs. */
    synchronized Outcome ack(Tag tag) throws IOException {
        Outcome outcome = claim(tag);
        if (outcome != Outcome.WRITTEN) {
            return outcome;
        }
        tag.state = State.HELD;
        held++;
        if (held >= batch || running == 0) {
            writeRun();
        }
        return tag.state == State.HELD ? Outcome.HELD : Outcome.WRITTEN;
    }

    /** Requeues {@code tag} now ({@code basic.nack} with requeue), and the held acks with it if none runs. */
    synchronized Outcome requeue(Tag tag) throws IOException {
        Outcome outcome = claim(tag);
        if (outcome == Outcome.WRITTEN) {
            settle(tag);
            frames.write(tag.value, false, true);
            if (running == 0) {
                writeRun();
            }
        }
        return outcome;
    }

    /** Writes every held ack: the run at the head as one multiple ack, the others one by one. */
    synchronized void flush() throws IOException {
        writeRun();
        for (Tag tag = head; tag != null && held > 0; ) {
            Tag following = tag.next;
            if (tag.state == State.HELD) {
                settle(tag);
                held--;
                frames.write(tag.value, false, false);
            }
            tag = following;
        }
    }

    /** Writes the held acks at the head, up to the first delivery still running, as one frame. */
    private void writeRun() throws IOException {
        long runEnd = 0;
        int run = 0;
        while (head != null && head.state == State.HELD) {
            runEnd = head.value;
            run++;
            settle(head);
        }
        held -= run;
        if (run > 0) {
            frames.write(runEnd, run > 1, false);
        }
    }

    /** The channel went down: every delivery recorded so far is stale, nothing is written for it. */
    synchronized void reset() {
        for (Tag tag = head; tag != null; tag = tag.next) {
            tag.state = State.STALE;
        }
        head = null;
        tail = null;
        running = 0;
        held = 0;
    }

    /** {@link Outcome#WRITTEN} if {@code tag} was running: no longer counted as such. */
    private Outcome claim(Tag tag) {
        return switch (tag.state) {
            case RUNNING -> {
                running--;
                yield Outcome.WRITTEN;
            }
            case STALE -> Outcome.STALE;
            case HELD, SETTLED -> Outcome.ALREADY_SETTLED;
        };
    }

    /** Marks {@code tag} settled and unlinks it (its state is set before a frame is written: a failed write
     *  means the channel is gone, and the broker redelivers). */
    private void settle(Tag tag) {
        tag.state = State.SETTLED;
        if (tag.previous == null) {
            head = tag.next;
        } else {
            tag.previous.next = tag.next;
        }
        if (tag.next == null) {
            tail = tag.previous;
        } else {
            tag.next.previous = tag.previous;
        }
        tag.previous = null;
        tag.next = null;
    }
}
