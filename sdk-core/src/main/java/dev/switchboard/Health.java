package dev.switchboard;

import java.util.List;
import java.util.Objects;

/**
 * The health of one {@link Messaging} instance, for readiness and liveness probes; a snapshot.
 *
 * <ul>
 *   <li>{@link Status#UP}: open, the broker connected (or not known to be disconnected), every subscription
 *       running.</li>
 *   <li>{@link Status#DEGRADED}: a subscription is starting or recovering, or the broker is disconnected; the
 *       runtime recovers by itself, so a liveness probe should pass and a readiness probe may fail.</li>
 *   <li>{@link Status#DOWN}: closed, or a subscription failed for good.</li>
 * </ul>
 *
 * @param status the summary
 * @param broker the provider's name, such as {@code kafka}
 * @param connectivity whether the driver's connection to the broker is up, as far as it knows
 * @param subscriptions every running subscription
 * @since 0.2
 */
public record Health(Status status, String broker, Connectivity connectivity, List<SubscriptionHealth> subscriptions) {
    public Health {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(connectivity, "connectivity");
        subscriptions = List.copyOf(subscriptions);
    }

    /** The summary of a health report. */
    public enum Status { UP, DEGRADED, DOWN }

    /** For a readiness probe: {@link Status#UP}. */
    public boolean isReady() {
        return status == Status.UP;
    }

    /** For a liveness probe: not {@link Status#DOWN}. A broker outage alone keeps a service alive. */
    public boolean isAlive() {
        return status != Status.DOWN;
    }

    /** The summary of {@code connectivity} and {@code subscriptions} of an open instance. */
    static Status summarize(Connectivity connectivity, List<SubscriptionHealth> subscriptions) {
        Status status = connectivity == Connectivity.DISCONNECTED ? Status.DEGRADED : Status.UP;
        for (SubscriptionHealth subscription : subscriptions) {
            switch (subscription.state()) {
                case FAILED -> {
                    return Status.DOWN;
                }
                case STARTING, RECOVERING -> status = Status.DEGRADED;
                default -> { }
            }
        }
        return status;
    }
}
