package io.structflow.spark;

import io.structflow.core.Backend;
import java.io.Serializable;

/**
 * What every task of a run carries besides its data: the run's key (for the executor's replica
 * pool), the problem to build replicas from, the driver's structflow version and the
 * {@link FaultInjection} switch.
 *
 * @param run              the run's key
 * @param problem          how to build the model, its loss and optimiser
 * @param version          the driver's structflow version
 * @param failFirstAttempt whether tasks fail on their first attempt (testing)
 */
record RunOnExecutor(String run, TrainingProblem problem, String version, boolean failFirstAttempt)
        implements Serializable {
    /**
     * Checks the version, applies the fault switch, sets this task thread's native threads
     * ({@link Backend#init}) and borrows this thread's worker.
     */
    ReplicaPool.Worker start() {
        Backend.init();
        StructflowVersion.require(version);
        FaultInjection.maybeFail(failFirstAttempt);
        return ReplicaPool.borrow(run, problem);
    }

    /** Returns the worker after the task. */
    void finish(ReplicaPool.Worker worker) {
        ReplicaPool.giveBack(run, worker);
    }
}
