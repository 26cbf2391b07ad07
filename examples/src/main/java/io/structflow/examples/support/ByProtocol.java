package io.structflow.examples.support;

/**
 * The default of a shared option under each protocol of a command: the standard run, the
 * {@code --quick} smoke run and the {@code --full} (paper's) run.
 *
 * @param standard the default without {@code --quick} or {@code --full}
 * @param quick    the default with {@code --quick}, or null when it is {@code standard}
 * @param full     the default with {@code --full}, or null when it is {@code standard}
 */
public record ByProtocol(int standard, Integer quick, Integer full) {
    /** The same value under every protocol. */
    public static ByProtocol of(int standard) {
        return new ByProtocol(standard, null, null);
    }

    /** This with {@code value} under {@code --quick}. */
    public ByProtocol quick(int value) {
        return new ByProtocol(standard, value, full);
    }

    /** This with {@code value} under {@code --full}. */
    public ByProtocol full(int value) {
        return new ByProtocol(standard, quick, value);
    }

    /** The value under the chosen protocol. */
    public int resolve(boolean isQuick, boolean isFull) {
        return isQuick && quick != null ? quick : isFull && full != null ? full : standard;
    }

    /** The defaults as the help text shows them, e.g. {@code 150; 300 with --full}. */
    public String describe() {
        return standard + (quick != null ? "; " + quick + " with --quick" : "") + (full != null ? "; " + full + " with --full" : "");
    }
}
