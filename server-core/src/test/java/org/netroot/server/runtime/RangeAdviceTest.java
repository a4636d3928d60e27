package org.netroot.server.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The range full mode suggests: inside the interface's network, never over its own address. */
class RangeAdviceTest {
    @Test
    void aSlash24GetsDot100ToDot200UnlessTheServerSitsThere() {
        assertEquals(new RangeAdvice.Range("192.168.1.100", "192.168.1.200"), RangeAdvice.suggest("192.168.1.5", 24));
        assertEquals(new RangeAdvice.Range("192.168.1.20", "192.168.1.99"), RangeAdvice.suggest("192.168.1.150", 24));
        assertEquals(new RangeAdvice.Range("10.4.7.100", "10.4.7.200"), RangeAdvice.suggest("10.4.7.1", 16),
                "in a larger network: the server's own /24");
    }

    @Test
    void aSmallNetworkGetsTheHalfWithoutTheServer() {
        assertEquals(new RangeAdvice.Range("192.168.1.96", "192.168.1.126"), RangeAdvice.suggest("192.168.1.65", 26));
        assertEquals(new RangeAdvice.Range("192.168.1.65", "192.168.1.95"), RangeAdvice.suggest("192.168.1.100", 26));
        assertEquals(new RangeAdvice.Range("10.0.0.2", "10.0.0.2"), RangeAdvice.suggest("10.0.0.1", 30));
        assertNull(RangeAdvice.suggest("10.0.0.1", 31));
    }
}
