package org.netroot.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void closedRangeAsIpxeSendsIt() {
        var p = assertInstanceOf(ByteRange.Partial.class, ByteRange.parse("bytes=512-1023", 4096));
        assertEquals(new ByteRange(512, 1023), p.range());
        assertEquals("bytes 512-1023/4096", p.range().contentRange(4096));
        assertEquals(512, p.range().length());
    }

    @Test
    void openAndSuffixRangesAndClampingToTheEnd() {
        assertEquals(new ByteRange(100, 4095), ((ByteRange.Partial) ByteRange.parse("bytes=100-", 4096)).range());
        assertEquals(new ByteRange(3996, 4095), ((ByteRange.Partial) ByteRange.parse("bytes=-100", 4096)).range());
        assertEquals(new ByteRange(4000, 4095), ((ByteRange.Partial) ByteRange.parse("bytes=4000-9999", 4096)).range());
    }

    @Test
    void startBeyondTheEndIsUnsatisfiable() {
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=4096-5000", 4096));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=-0", 4096));
    }

    @Test
    void absentOrUnusableHeadersMeanTheWholeFile() {
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse(null, 10));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("items=1-2", 10));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=1-2,5-6", 10));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=x-y", 10));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=5-2", 10));
    }
}
