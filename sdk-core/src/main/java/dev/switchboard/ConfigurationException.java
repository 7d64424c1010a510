package dev.switchboard;

/**
 * Configuration that cannot work, found at startup: an unknown or misspelled key, a malformed value, a
 * missing required key, or no usable broker provider. The message names the key, where it came from, what
 * was expected and, for a misspelling, the nearest valid key. Never contains a secret value.
 *
 * @since 0.1
 */
public final class ConfigurationException extends MessagingException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigurationException(String key, String message) {
        super(ErrorCode.INVALID_ARGUMENT, message);
        this.key = key;
    }

    /** The offending key, such as {@code switchboard.broker}. */
    public String key() {
        return key;
    }
}
