package io.structflow.core.io;

import java.io.IOException;

/**
 * A {@link java.util.function.Consumer} that may throw {@link IOException}, for lambdas that
 * write to a stream.
 *
 * @param <T> the type of the value consumed
 */
@FunctionalInterface
public interface IOConsumer<T> {

    /**
     * Consumes the value.
     *
     * @param value the value, for example an output stream to write to
     * @throws IOException if writing fails
     */
    void accept(T value) throws IOException;
}
