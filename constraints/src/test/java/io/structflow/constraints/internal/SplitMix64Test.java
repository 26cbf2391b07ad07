package io.structflow.constraints.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMix64Test {
    @Test
    void nextDouble_equalsSplittableRandomOfTheSameSeed() {
        for (long seed : new long[] {0, 1, -7, 0x9e3779b97f4a7c15L, Long.MAX_VALUE}) {
            SplittableRandom jdk = new SplittableRandom(seed);
            SplitMix64 ours = new SplitMix64(seed);
            for (int i = 0; i < 1000; i++) {
                assertEquals(jdk.nextDouble(), ours.nextDouble(), 0.0, "seed " + seed + ", draw " + i);
            }
        }
    }

    @Test
    void setPosition_continuesTheSequenceFromThere() {
        SplitMix64 a = new SplitMix64(3);
        for (int i = 0; i < 17; i++) {
            a.nextDouble();
        }
        SplitMix64 b = new SplitMix64(99);
        b.setPosition(a.position());
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextDouble(), b.nextDouble(), 0.0, "draw " + i);
        }
    }
}
