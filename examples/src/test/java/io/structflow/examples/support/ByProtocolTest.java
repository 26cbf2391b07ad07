package io.structflow.examples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ByProtocolTest {
    @Test
    void resolve_picksTheChosenProtocolsValue_elseTheStandardOne() {
        ByProtocol epochs = ByProtocol.of(2).quick(1).full(10);
        assertEquals(2, epochs.resolve(false, false));
        assertEquals(1, epochs.resolve(true, false));
        assertEquals(10, epochs.resolve(false, true));
        assertEquals(150, ByProtocol.of(150).full(300).resolve(true, false), "no quick value: the standard one");
    }

    @Test
    void describe_listsTheDefaultsAsTheHelpShowsThem() {
        assertEquals("2; 1 with --quick; 10 with --full", ByProtocol.of(2).quick(1).full(10).describe());
        assertEquals("30", ByProtocol.of(30).describe());
    }
}
