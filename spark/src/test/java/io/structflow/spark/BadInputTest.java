package io.structflow.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.data.Dataset;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class BadInputTest extends WithLocalSpark {

    @Test
    void open_unreachableMaster_failsWithinTheTimeoutNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        String master = "spark://127.0.0.1:" + port;
        long t0 = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkMaster.requireReachable(master, SparkMaster.CONNECT_TIMEOUT));
        assertTrue((System.nanoTime() - t0) / 1e9 < SparkMaster.CONNECT_TIMEOUT.toSeconds() + 1);
        assertTrue(e.getMessage().startsWith("--spark: master " + master + " expected to accept a connection within 10 s"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void requireReachable_malformedMaster_isRefusedNamingIt_wellFormedOnesPass() {
        for (String master : List.of("foo", "local[0]", "local[2", "local[x]", "local[2,0]", "spark://", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SparkMaster.requireReachable(master), master);
            assertEquals("--spark: expected a master URL (local, local[N], local[N,F], local[*], spark://host:7077, yarn,"
                    + " k8s://host:port) but got \"" + master + "\"", e.getMessage());
        }
        for (String master : List.of("local", "local[2]", "local[*]", "local[2,3]", "local[*, 4]", "local-cluster[2,1,512]",
                "yarn", "k8s://https://host:6443")) {
            SparkMaster.requireReachable(master); // contacts only spark:// masters
        }
    }

    @Test
    void fewerExamplesThanPartitions_isRefusedNamingBoth() {
        Dataset five = SparkTests.moons(5, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SyncDataParallel(sc,
                new TinyProblem(1, 0.1), five, new SyncDataParallel.Settings(8, 4, 1, 1, null, null)));
        assertEquals("partitions: expected between 1 and the number of examples of \"" + five.name() + "\" (5) but got 8",
                e.getMessage());
    }

    @Test
    void aProblemThatCannotBeSerialised_isRefusedBeforeAnyJob() {
        Thread notSerialisable = new Thread(() -> { });
        TrainingProblem problem = () -> {
            notSerialisable.getName();
            return new TinyProblem(1, 0.1).build();
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LocalSgd(sc, problem, SparkTests.moons(20, 1), 2, 2, 4, 1));
        assertTrue(e.getMessage().startsWith("problem: expected a serialisable "), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.Thread, which is not Serializable"), e.getMessage());
    }

    @Test
    void executorsOfAnotherVersion_areRefusedNamingBothVersions() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StructflowVersion.requireOnExecutors(sc, "0.0.9-other"));
        assertEquals("structflow version: executors expected 0.0.9-other (the driver's) but found "
                + StructflowVersion.current(), e.getMessage());
        StructflowVersion.requireOnExecutors(sc, StructflowVersion.current());
    }
}
