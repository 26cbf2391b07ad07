package io.structflow.constraints.internal;

/**
 * The generator of {@link java.util.SplittableRandom}: SplitMix64 (Steele, Lea &amp; Flood, "Fast
 * splittable pseudorandom number generators", OOPSLA 2014, doi:10.1145/2660193.2660195), whose
 * whole state is one 64-bit position,
 * <pre>
 *   position ← position + γ,   z = mix64(position),   u = (z &gt;&gt;&gt; 11) · 2⁻⁵³ ∈ [0, 1)
 * </pre>
 * with γ = 0x9e3779b97f4a7c15. {@code new SplitMix64(seed).nextDouble()} returns the same sequence
 * as {@code new SplittableRandom(seed).nextDouble()}; unlike it, the position can be read and set,
 * so that a checkpoint can save and restore it. Not thread-safe.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long position;

    /** The generator at {@code seed}, as {@code new SplittableRandom(seed)}. */
    public SplitMix64(long seed) {
        this.position = seed;
    }

    /** The next value, uniform in [0, 1) on the 2⁻⁵³ grid. */
    public double nextDouble() {
        position += GOLDEN_GAMMA;
        long z = position;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    /** The state: everything the following values depend on. */
    public long position() {
        return position;
    }

    /** Moves to a state read from {@link #position()}. */
    public void setPosition(long position) {
        this.position = position;
    }
}
