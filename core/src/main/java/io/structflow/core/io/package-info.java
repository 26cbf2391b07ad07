/**
 * File output that never leaves a half-written file behind: {@link io.structflow.core.io.AtomicFiles}
 * writes to a temporary file, syncs it and renames it over the target (checkpoints, results).
 */
package io.structflow.core.io;
