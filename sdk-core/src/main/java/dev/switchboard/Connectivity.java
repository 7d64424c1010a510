package dev.switchboard;

/**
 * Whether a broker client is connected, as far as it knows.
 *
 * @since 0.2
 */
public enum Connectivity {
    /** Connected: the last exchange with the broker succeeded, or the connection is open. */
    CONNECTED,
    /** Not connected: the connection is down or the broker does not answer; the client keeps trying. */
    DISCONNECTED,
    /** The client cannot tell (a connectionless protocol with no exchange yet). */
    UNKNOWN
}
