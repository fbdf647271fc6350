package org.openstack.jcinder.volume.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ExtentMapTest {

    @Test
    void parsesFilefragsExtentListInBytes() {
        String out = """
                Filesystem type is: ef53
                File size of /tmp/v is 67108864 (16384 blocks of 4096 bytes)
                 ext:     logical_offset:        physical_offset: length:   expected: flags:
                   0:      100..     100:          0..         0:      0:             unknown_loc,delalloc
                   1:     8192..   8447:     123456..    123711:    256:             last,eof
                /tmp/v: 2 extents found
                """;
        assertThat(ExtentMap.parse(out)).contains(List.of(new ExtentMap.Range(409_600, 413_696),
                new ExtentMap.Range(8192L * 4096, 8448L * 4096)));
    }

    @Test
    void noMapMeansReadEverything() {
        assertThat(ExtentMap.parse("filefrag: FIBMAP/FIEMAP unsupported")).isEmpty();
        assertThat(ExtentMap.of(java.nio.file.Path.of("/dev/null"))).isEmpty();
    }

    @Test
    void overlapIsHalfOpen() {
        List<ExtentMap.Range> r = List.of(new ExtentMap.Range(100, 200));
        assertThat(ExtentMap.overlaps(r, 0, 100)).isFalse();
        assertThat(ExtentMap.overlaps(r, 0, 101)).isTrue();
        assertThat(ExtentMap.overlaps(r, 199, 300)).isTrue();
        assertThat(ExtentMap.overlaps(r, 200, 300)).isFalse();
    }
}
