package io.structflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
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
}
