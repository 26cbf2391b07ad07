/**
 * Training: the {@link io.structflow.core.train.Trainer} loop (epochs of mini-batches, finite-loss
 * check, optimiser step with constraint projection, learning-rate schedule, callbacks, progress
 * bar, JSON-lines metrics log) and {@link io.structflow.core.train.Checkpoint}s that make a run
 * resumable after a crash with exactly the same result as an uninterrupted one.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, new Adam(model, Adam.Config.defaults(1e-2)),
 *         (m, b) -> Losses.crossEntropy(m.forward(b.x()), b.labels()),
 *         DataLoader.shuffled(train, 256, seed))
 *     .epochs(300)
 *     .checkpointDir(out.resolve("ckpt"))
 *     .metricsLog(out.resolve("metrics.jsonl"))
 *     .build();
 * trainer.fit();   // resumes from out/ckpt/checkpoint.zip if it exists
 * }</pre>
 */
package io.structflow.core.train;
