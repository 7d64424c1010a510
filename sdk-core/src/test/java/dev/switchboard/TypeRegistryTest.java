package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TypeRegistryTest {

    @EventType("com.shop.order.placed")
    record OrderPlaced(String orderId) {
    }

    record Plain(String value) {
    }

    record Other(String value) {
    }

    @Test
    void registeredTypeIsBoundBothWays() {
        TypeRegistry registry = new TypeRegistry().register("com.shop.plain", Plain.class);

        assertThat(registry.typeOf(Plain.class)).isEqualTo("com.shop.plain");
        assertThat(registry.classOf("com.shop.plain")).contains(Plain.class);
    }

    @Test
    void annotationNamesTheType() {
        TypeRegistry registry = new TypeRegistry();

        assertThat(registry.typeOf(OrderPlaced.class)).isEqualTo("com.shop.order.placed");
        assertThat(registry.classOf("com.shop.order.placed")).contains(OrderPlaced.class);
    }

    @Test
    void registrationWinsOverAnnotation() {
        TypeRegistry registry = new TypeRegistry().register("com.shop.v2.order.placed", OrderPlaced.class);

        assertThat(registry.typeOf(OrderPlaced.class)).isEqualTo("com.shop.v2.order.placed");
    }

    @Test
    void fullyQualifiedNameIsTheFallback() {
        TypeRegistry registry = new TypeRegistry();

        assertThat(registry.typeOf(Plain.class)).isEqualTo(Plain.class.getName())
                .isEqualTo("dev.switchboard.TypeRegistryTest$Plain");
        assertThat(registry.classOf(Plain.class.getName())).contains(Plain.class);
    }

    @Test
    void unknownTypeHasNoClass() {
        assertThat(new TypeRegistry().classOf("com.nobody")).isEmpty();
    }

    @Test
    void classOfDoesNotBindUntilFirstUse() {
        TypeRegistry registry = new TypeRegistry();

        assertThat(registry.classOf("com.shop.order.placed")).isEmpty();
        registry.typeOf(OrderPlaced.class);
        assertThat(registry.classOf("com.shop.order.placed")).contains(OrderPlaced.class);
    }

    @Test
    void bindingATypeToAnotherClassFails() {
        TypeRegistry registry = new TypeRegistry().register("com.shop.thing", Plain.class);

        assertThatThrownBy(() -> registry.register("com.shop.thing", Other.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"com.shop.thing\"")
                .hasMessageContaining(Plain.class.getName())
                .hasMessageContaining(Other.class.getName());
        assertThat(registry.classOf("com.shop.thing")).contains(Plain.class);
        assertThat(registry.typeOf(Other.class)).isEqualTo(Other.class.getName());
    }

    @Test
    void registeringTheSamePairTwiceIsFine() {
        TypeRegistry registry = new TypeRegistry().register("com.shop.thing", Plain.class);

        registry.register("com.shop.thing", Plain.class);

        assertThat(registry.typeOf(Plain.class)).isEqualTo("com.shop.thing");
    }

    @Test
    void blankTypeAndNullClassAreRejected() {
        TypeRegistry registry = new TypeRegistry();

        assertThatThrownBy(() -> registry.register(" ", Plain.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type must be a non-empty string");
        assertThatThrownBy(() -> registry.register(null, Plain.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was null");
        assertThatThrownBy(() -> registry.register("com.x", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("payloadClass");
    }

    @Test
    void concurrentFirstUseAgreesOnOneType() throws Exception {
        TypeRegistry registry = new TypeRegistry();
        int threads = 8;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(executor.submit(() -> {
                    go.await();
                    return registry.typeOf(OrderPlaced.class);
                }));
            }
            go.countDown();

            Set<String> seen = ConcurrentHashMap.newKeySet();
            for (Future<String> result : results) {
                seen.add(result.get(5, TimeUnit.SECONDS));
            }

            assertThat(seen).containsExactly("com.shop.order.placed");
        } finally {
            executor.shutdownNow();
        }
    }
}
