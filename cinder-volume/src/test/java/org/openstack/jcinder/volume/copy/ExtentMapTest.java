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

    @Test
    void aWindowKeepsTheRangesInsideShiftedToItsStart() {
        List<ExtentMap.Range> r = List.of(new ExtentMap.Range(0, 100), new ExtentMap.Range(150, 400));
        assertThat(ExtentMap.window(r, 50, 200)).containsExactly(new ExtentMap.Range(0, 50),
                new ExtentMap.Range(100, 200));
        assertThat(ExtentMap.window(r, 300, 0)).containsExactly(new ExtentMap.Range(0, 100));
    }

    private static String sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + out);
        }
        return out;
    }

    @Test
    void aLoopDeviceIsMappedThroughItsBackingFileEvenWhenStacked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"))
                && java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin/losetup"));
        if (!root && "1".equals(System.getenv("CINDER_TEST_REQUIRE_LVM"))) {
            throw new IllegalStateException("root and losetup are required (CINDER_TEST_REQUIRE_LVM=1)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(root, "needs root and losetup");
        long mib = 1 << 20;
        java.nio.file.Path img = dir.resolve("pv.img");
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(64 * mib);
            f.seek(8 * mib);
            f.write(new byte[(int) mib]);
            f.seek(8 * mib);
            f.write(1);
            f.seek(40 * mib);
            f.write(new byte[] {1, 2, 3});
        }
        String pv = sh("losetup", "--find", "--show", img.toString());
        String lv = null;
        try {
            // Like an LV mapped on a PV: 4 MiB into the PV, 48 MiB long.
            lv = sh("losetup", "--find", "--show", "--offset", Long.toString(4 * mib), "--sizelimit",
                    Long.toString(48 * mib), pv);
            List<ExtentMap.Range> ranges = ExtentMap.of(java.nio.file.Path.of(lv)).orElseThrow();
            assertThat(ExtentMap.overlaps(ranges, 4 * mib, 5 * mib)).isTrue();
            assertThat(ExtentMap.overlaps(ranges, 36 * mib, 36 * mib + 4096)).isTrue();
            assertThat(ExtentMap.overlaps(ranges, 0, 4 * mib)).isFalse();
            assertThat(ExtentMap.overlaps(ranges, 6 * mib, 36 * mib)).isFalse();
            assertThat(ranges).allSatisfy(r -> assertThat(r.end()).isLessThanOrEqualTo(48 * mib));
        } finally {
            if (lv != null) {
                sh("losetup", "-d", lv);
            }
            sh("losetup", "-d", pv);
        }
    }
}
