/**
 * Reading data sets: the IDX format of MNIST and Fashion-MNIST ({@link io.structflow.core.data.IdxReader},
 * {@link io.structflow.core.data.IdxArray}) and the Fashion-MNIST files as installed by Debian's
 * {@code dataset-fashion-mnist} ({@link io.structflow.core.data.FashionMnist}).
 *
 * <p>Images come out as {@code [N, C, H, W]} arrays scaled to [0, 1]; labels as {@code int[]}.
 * Every failure names the file, what was expected and what was found.
 */
package io.structflow.core.data;
