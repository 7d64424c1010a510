package dev.switchboard;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps CloudEvents {@code type} names to payload classes and back. A class's type is, in order: what was
 * {@linkplain #register registered}, its {@link EventType} annotation, or its fully qualified name.
 * Thread-safe.
 *
 * @since 0.1
 */
public final class TypeRegistry {
    private final Map<Class<?>, String> typeByClass = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> classByType = new ConcurrentHashMap<>();

    /**
     * Binds {@code type} to {@code payloadClass} in both directions.
     *
     * @throws IllegalStateException if the type is already bound to another class
     */
    public TypeRegistry register(String type, Class<?> payloadClass) {
        Objects.requireNonNull(payloadClass, "payloadClass");
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("type must be a non-empty string, was " + type);
        }
        Class<?> previous = classByType.putIfAbsent(type, payloadClass);
        if (previous != null && previous != payloadClass) {
            throw new IllegalStateException("type \"" + type + "\" is already bound to " + previous.getName()
                    + ", cannot bind it to " + payloadClass.getName());
        }
        typeByClass.put(payloadClass, type);
        return this;
    }

    /** The type name for {@code payloadClass}; binds it on first use. */
    public String typeOf(Class<?> payloadClass) {
        String known = typeByClass.get(payloadClass);
        if (known != null) {
            return known;
        }
        EventType annotation = payloadClass.getAnnotation(EventType.class);
        String type = annotation != null ? annotation.value() : payloadClass.getName();
        classByType.putIfAbsent(type, payloadClass);
        typeByClass.putIfAbsent(payloadClass, type);
        return type;
    }

    /** The class bound to {@code type}, if any. */
    public Optional<Class<?>> classOf(String type) {
        return Optional.ofNullable(classByType.get(type));
    }
}
