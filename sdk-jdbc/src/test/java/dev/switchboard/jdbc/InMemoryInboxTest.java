package dev.switchboard.jdbc;

import dev.switchboard.inmemory.InMemoryBroker;
import java.util.Map;

/** The inbox end to end on the in-memory broker. */
class InMemoryInboxTest extends InboxOverBrokerContract {
    @Override
    protected Map<String, String> properties(String run) {
        return Map.of("switchboard.broker", "in-memory", "switchboard.in-memory.instance", "inbox-" + run);
    }

    @Override
    protected void cleanUp(String run, String topic, String group) {
        InMemoryBroker.named("inbox-" + run).close();
    }
}
