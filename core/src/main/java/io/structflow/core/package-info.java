/**
 * structflow-core: the autodiff tensor core ({@code autodiff}), modules ({@code nn}), optimisers
 * ({@code optim}), losses ({@code loss}), data ({@code data}), training ({@code train}), gradient
 * checks ({@code check}) and atomic file output ({@code io}). {@link io.structflow.core.Backend}
 * configures ND4J (oneDNN build, thread count) before first use.
 */
package io.structflow.core;
