package io.celerypgmq.config;

/**
 * A setting has a value the tool cannot use. The message names the setting's key and, unless it is a secret, the
 * offending value, so an operator can fix the file, variable or flag it came from.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public ConfigException(String key, String message, Throwable cause) {
        super(key + ": " + message, cause);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
