package dev.switchboard.examples.checkout;

import dev.switchboard.Messaging;

/** One service of the flow: it subscribes its handlers, in its own group, when started. */
interface CheckoutService {
    /** The service names, as given to {@code --service}. */
    java.util.List<String> NAMES = java.util.List.of("orders", "payments", "inventory", "shipping");

    void start();

    static CheckoutService create(String name, Messaging messaging, Topics topics) {
        return switch (name) {
            case "orders" -> new OrdersService(messaging, topics);
            case "payments" -> new PaymentsService(messaging, topics);
            case "inventory" -> new InventoryService(messaging, topics);
            case "shipping" -> new ShippingService(messaging, topics);
            default -> throw new IllegalArgumentException("no service " + name + "; expected one of " + NAMES);
        };
    }
}
