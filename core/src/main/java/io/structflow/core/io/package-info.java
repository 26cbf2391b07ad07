/**
 * Files in and out: {@link io.structflow.core.io.AtomicFiles} writes to a temporary file, syncs it
 * and renames it over the target (checkpoints, results), so no half-written file is left behind;
 * {@link io.structflow.core.io.SafeTensors} reads and writes the safetensors format and
 * {@link io.structflow.core.io.ModelWeights} saves and loads a model's weights in it, keyed by the
 * dotted parameter names (the layout of a PyTorch state dict).
 */
package io.structflow.core.io;
