package org.openstack.jcinder.volume.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.common.exception.VolumeDriverException;

class DdCopyEngineTest {

    @TempDir
    Path dir;

    @Test
    void buildsCindersArgumentVector() {
        var both = new DdCopyEngine.DirectFlags(true, true);
        assertThat(DdCopyEngine.argv(Path.of("/dev/a"), Path.of("/dev/b"), 1L << 30, true, "4M", both)).containsExactly(
                "dd", "if=/dev/a", "of=/dev/b", "count=1073741824", "bs=4M", "iflag=count_bytes,direct",
                "oflag=direct", "conv=sparse", "status=progress");
        // Without O_DIRECT on the output, the data is flushed before dd reports success.
        assertThat(DdCopyEngine.argv(Path.of("/dev/a"), Path.of("/dev/b"), 5, false)).containsExactly("dd",
                "if=/dev/a", "of=/dev/b", "count=5", "bs=1M", "iflag=count_bytes", "conv=fdatasync", "status=progress");
        assertThat(DdCopyEngine.argv(Path.of("/dev/a"), Path.of("/dev/b"), 5, true)).contains("conv=fdatasync,sparse");
    }

    @Test
    void anInvalidBlockSizeFallsBackToOneMegabyteAsInCinder() {
        assertThat(new DdCopyEngine("4M").blockSize()).isEqualTo("4M");
        assertThat(new DdCopyEngine("65536").blockSize()).isEqualTo("65536");
        for (String bad : new String[] {"-1M", "0", "01M", "1.5M", "fast", "1Q"}) {
            assertThat(new DdCopyEngine(bad).blockSize()).as(bad).isEqualTo("1M");
        }
    }

    @Test
    void directFlagsOnlyWhereTheProbeOnTheActualPathsSucceeds() throws Exception {
        Path src = Files.write(dir.resolve("probe-src"), new byte[8192]);
        Path dst = Files.write(dir.resolve("probe-dst"), new byte[] {7});
        // This machine's ext4 takes O_DIRECT both ways; /dev/zero and /dev/null refuse it (EINVAL).
        assertThat(DdCopyEngine.probe(src, dst)).isEqualTo(new DdCopyEngine.DirectFlags(true, true));
        assertThat(Files.readAllBytes(dst)).containsExactly(7);
        assertThat(DdCopyEngine.probe(Path.of("/dev/zero"), Path.of("/dev/null")))
                .isEqualTo(new DdCopyEngine.DirectFlags(false, false));
        assertThat(DdCopyEngine.probe(src, Path.of("/dev/null"))).isEqualTo(new DdCopyEngine.DirectFlags(true, false));
    }

    @Test
    void copiesWithDirectIoWhenProbedAndKeepsTheBytes() throws Exception {
        byte[] data = new byte[3 << 20];
        new java.util.Random(1).nextBytes(data);
        Path src = Files.write(dir.resolve("big-src"), data);
        Path dst = dir.resolve("big-dst");
        new DdCopyEngine("512K").copy(src, dst, data.length, false, b -> { });
        assertThat(Files.readAllBytes(dst)).isEqualTo(data);
    }

    @Test
    void copiesExactlyTheRequestedBytesAndReportsThem() throws Exception {
        Path src = Files.write(dir.resolve("src"), "hello, volume".getBytes());
        Path dst = dir.resolve("dst");
        AtomicLong reported = new AtomicLong();
        new DdCopyEngine().copy(src, dst, 5, false, reported::set);
        assertThat(Files.readString(dst)).isEqualTo("hello");
        assertThat(reported.get()).isEqualTo(5);
    }

    @Test
    void readsProgressWhileDdRuns() throws Exception {
        java.util.List<Long> seen = new java.util.ArrayList<>();
        DdCopyEngine.readProgress(new java.io.ByteArrayInputStream(("104857600 bytes (105 MB, 100 MiB) copied, 1 s, "
                + "105 MB/s\r209715200 bytes (210 MB, 200 MiB) copied, 2 s, 105 MB/s\r2+0 records in\n").getBytes()),
                seen::add);
        assertThat(seen).containsExactly(104857600L, 209715200L);
    }

    @Test
    void failureCarriesDdsMessage() {
        assertThatThrownBy(() -> new DdCopyEngine().copy(dir.resolve("missing"), dir.resolve("x"), 5, false, b -> { }))
                .isInstanceOf(VolumeDriverException.class).hasMessageContaining("missing");
    }
}
