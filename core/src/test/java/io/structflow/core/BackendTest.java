package io.structflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

class BackendTest {
    /**
     * OpenMP's team size is a per-thread setting: a thread that starts after ND4J was configured
     * (a Spark task thread) must get structflow.threads from its own {@link Backend#init()}, not
     * keep the team size it had before.
     */
    @Test
    void init_onANewThread_setsThatThreadsOpenMpTeamSize() throws InterruptedException {
        Backend.init();
        int configured = Integer.getInteger("structflow.threads", 1);
        NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
        AtomicInteger seen = new AtomicInteger(-1);
        Thread worker = new Thread(() -> {
            nativeOps.setOmpNumThreads(configured + 1);   // a team size nobody asked for
            Backend.init();
            seen.set(nativeOps.ompGetMaxThreads());
        });
        worker.start();
        worker.join();
        assertEquals(configured, seen.get());
    }

    /**
     * oneDNN's helper switch is one flag for the whole process, and {@link Backend#withHelpers}
     * switches it around every convolution. Two threads of one JVM (two Spark executors) then run
     * side by side: one convolving, the other convolving and multiplying matrices. Each result
     * must be bit-identical to the one computed alone — a convolution must not lose oneDNN to the
     * other thread's "off", and a matrix product must not pick up oneDNN from the other's "on".
     */
    @Test
    void withHelpers_twoThreadsConvolvingAndMultiplying_giveTheResultsOfOneThread() throws Exception {
        Backend.init();
        SplittableRandom rng = new SplittableRandom(7);
        Tensor image = Tensor.randn(DataType.FLOAT, rng, 2, 4, 12, 12);
        Tensor kernel = Tensor.randn(DataType.FLOAT, rng, 6, 4, 3, 3);
        Tensor a = Tensor.randn(DataType.FLOAT, rng, 48, 64);
        Tensor b = Tensor.randn(DataType.FLOAT, rng, 64, 40);
        ConvGeometry same = ConvGeometry.same(3);
        double[] convolved = image.conv2d(kernel, same).toDoubleArray();
        double[] product = a.matmul(b).toDoubleArray();
        AtomicInteger wrongConvolutions = new AtomicInteger();
        AtomicInteger wrongProducts = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread convolving = new Thread(() -> {
            Backend.init();
            while (!stop.get()) {
                if (!Arrays.equals(convolved, image.conv2d(kernel, same).toDoubleArray())) {
                    wrongConvolutions.incrementAndGet();
                }
            }
        });
        convolving.start();
        try {
            for (int i = 0; i < 3000; i++) {
                if (!Arrays.equals(product, a.matmul(b).toDoubleArray())) {
                    wrongProducts.incrementAndGet();
                }
                if (!Arrays.equals(convolved, image.conv2d(kernel, same).toDoubleArray())) {
                    wrongConvolutions.incrementAndGet();
                }
            }
        } finally {
            stop.set(true);
            convolving.join();
        }
        assertEquals(0, wrongProducts.get(), "matrix products that differ from one thread's");
        assertEquals(0, wrongConvolutions.get(), "convolutions that differ from one thread's");
    }
}
