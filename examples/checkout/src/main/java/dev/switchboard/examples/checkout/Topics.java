package dev.switchboard.examples.checkout;

/**
 * The topics of one checkout deployment, all under one namespace so that runs on a shared broker stay
 * apart: {@code <namespace>.requests} (commands to the orders service), {@code .orders}, {@code .payments},
 * {@code .inventory}, {@code .shipping}.
 */
public record Topics(String namespace) {
    public String requests() {
        return namespace + ".requests";
    }

    public String orders() {
        return namespace + ".orders";
    }

    public String payments() {
        return namespace + ".payments";
    }

    public String inventory() {
        return namespace + ".inventory";
    }

    public String shipping() {
        return namespace + ".shipping";
    }
}
