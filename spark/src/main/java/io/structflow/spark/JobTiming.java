package io.structflow.spark;

/**
 * Where the time of a run's Spark jobs went, summed over its jobs (steps or rounds): the wall
 * time of each job as the driver saw it, the slowest task's own computing time in each job, and
 * the driver's work after each job (sums, optimiser step, projections). What remains of a job's
 * wall time beyond its slowest task is Spark's cost: scheduling, serialisation, transfer.
 *
 * @param jobs          jobs run
 * @param jobSeconds    summed wall time of the jobs
 * @param taskSeconds   summed time of the slowest task of each job
 * @param driverSeconds summed driver time after the jobs
 */
public record JobTiming(long jobs, double jobSeconds, double taskSeconds, double driverSeconds) {
    /** No jobs yet. */
    public static final JobTiming NONE = new JobTiming(0, 0, 0, 0);

    /** This plus one job. */
    JobTiming plus(long jobNanos, long slowestTaskNanos, long driverNanos) {
        return new JobTiming(jobs + 1, jobSeconds + jobNanos / 1e9, taskSeconds + slowestTaskNanos / 1e9,
                driverSeconds + driverNanos / 1e9);
    }

    /** Mean Spark cost per job: (job wall time − slowest task) / jobs. */
    public double overheadPerJob() {
        return jobs == 0 ? 0 : (jobSeconds - taskSeconds) / jobs;
    }
}
