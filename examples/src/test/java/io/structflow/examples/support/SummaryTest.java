package io.structflow.examples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SummaryTest {
    @Test
    void median_ofOddAndEvenCounts() {
        assertEquals(2.0, Summary.median(new double[] {3, 1, 2}), 0);
        assertEquals(2.5, Summary.median(new double[] {4, 1, 3, 2}), 0);
    }
}
