package io.structflow.core.autodiff;

/**
 * Whether operations record the graph that reverse mode needs (per thread, like PyTorch's
 * {@code torch.no_grad()}).
 *
 * <pre>{@code
 * try (var scope = GradMode.noGrad()) {
 *     Tensor y = model.forward(x);   // no graph is built
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {
    }

    /** True when new operations record their backward. */
    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Disables graph recording until the returned scope is closed. Scopes nest. */
    public static Scope noGrad() {
        return set(false);
    }

    /** Enables graph recording until the returned scope is closed (used for double backprop). */
    public static Scope enableGrad() {
        return set(true);
    }

    static Scope set(boolean enabled) {
        boolean previous = ENABLED.get();
        ENABLED.set(enabled);
        return () -> ENABLED.set(previous);
    }

    /** A scope that restores the previous mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
