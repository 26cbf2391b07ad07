/**
 * Reading data sets: the IDX format of MNIST and Fashion-MNIST ({@link io.structflow.core.data.IdxReader},
 * {@link io.structflow.core.data.IdxArray}) and the Fashion-MNIST files as installed by Debian's
 * {@code dataset-fashion-mnist} ({@link io.structflow.core.data.FashionMnist}).
 *
 * <p>Images come out as {@code [N, C, H, W]} arrays scaled to [0, 1]; labels as {@code int[]}.
 * Every failure names the file, what was expected and what was found.
 *
 * <p>Feeding them to training: {@link io.structflow.core.data.Dataset} (in-memory features with
 * labels or targets; {@code subset}, {@code split}), {@link io.structflow.core.data.DataLoader}
 * (mini-batches whose per-epoch order depends only on (seed, epoch), so resumed runs see the
 * same batches) yielding {@link io.structflow.core.data.Batch}es, and the seeded planar problems
 * of [CMOSS] §1.1 in {@link io.structflow.core.data.PlanarData} (two moons, two spirals, the
 * Halton disc-in-ring set).
 */
package io.structflow.core.data;
