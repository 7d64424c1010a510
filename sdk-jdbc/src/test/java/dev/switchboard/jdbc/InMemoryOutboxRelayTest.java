package dev.switchboard.jdbc;

import java.util.Map;

/** The outbox contract on the in-memory broker (which refuses events over 16 MiB). */
class InMemoryOutboxRelayTest extends OutboxRelayContract {
    @Override
    protected Map<String, String> brokerProperties() {
        return Map.of("switchboard.broker", "in-memory");
    }

    @Override
    protected int oversizeBytes() {
        return 16 * 1024 * 1024 + 1;
    }

    @Override
    protected boolean sharedAcrossProcesses() {
        return false;
    }
}
