package dev.switchboard.instrumentation;

import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;

/**
 * The end of one publish: exactly one of its methods is called once, on whichever thread completes the publish
 * (often the broker client's I/O thread). Must not block.
 *
 * @since 0.2
 */
public interface PublishObservation {
    /** Observes nothing. */
    PublishObservation NONE = new PublishObservation() {
    };

    /** The broker confirmed the event. */
    default void published(PublishResult result) {
    }

    /** The publish failed; see {@link MessagingException#code()} for why. */
    default void failed(MessagingException failure) {
    }
}
