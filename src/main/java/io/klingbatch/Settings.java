package io.klingbatch;

/**
 * Checks of settings ({@code application.yml}, the environment, {@code -D}), made in the constructors of the
 * {@code @ConfigurationProperties} records. Not Bean Validation: Hibernate Validator loads about 470 classes, some half a
 * second of every command's start-up (measured with a profiler for {@code status}), for a dozen one-line rules.
 */
public final class Settings {

    private Settings() {
    }

    /** Throws {@link InvalidSettingException} naming the setting when {@code holds} is false. */
    public static void require(boolean holds, String setting, String rule) {
        if (!holds) {
            throw new InvalidSettingException(setting + " " + rule);
        }
    }

    /** Set and not negative (a negative wait was never meant; Bean Validation let it through). */
    public static void duration(java.time.Duration value, String setting) {
        require(value != null && !value.isNegative(), setting, "must be a duration of zero or more, got " + value);
    }

    /** At least 1. */
    public static void positive(int value, String setting) {
        require(value >= 1, setting, "must be at least 1, got " + value);
    }

    /** A setting that cannot be used: a configuration error (exit 2), never an internal one. */
    public static final class InvalidSettingException extends IllegalArgumentException {
        InvalidSettingException(String message) {
            super(message);
        }
    }
}
