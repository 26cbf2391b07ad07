package io.structflow.spark;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/** Checks on the driver, before any job, that what tasks must carry can be serialised. */
final class SerializationCheck {
    private SerializationCheck() {
    }

    /**
     * Serialises {@code value} into nothing.
     *
     * @return the number of bytes of its serial form
     * @throws IllegalArgumentException naming {@code what}, its class and the class that could not
     *         be serialised
     */
    static long require(String what, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(what + ": expected a serialisable object but got null");
        }
        long[] count = {0};
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        try (ObjectOutputStream out = new ObjectOutputStream(sink)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException(what + ": expected a serialisable " + value.getClass().getName()
                    + " (tasks rebuild the model from it) but it holds a " + e.getMessage() + ", which is not Serializable");
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": expected a serialisable " + value.getClass().getName()
                    + " but serialising it failed: " + e);
        }
        return count[0];
    }
}
