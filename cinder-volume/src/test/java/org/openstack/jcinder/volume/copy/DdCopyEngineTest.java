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
        assertThat(DdCopyEngine.argv(Path.of("/dev/a"), Path.of("/dev/b"), 1L << 30, true)).containsExactly("dd",
                "if=/dev/a", "of=/dev/b", "count=1073741824", "bs=1M", "iflag=count_bytes", "conv=sparse", "status=progress");
        assertThat(DdCopyEngine.argv(Path.of("/dev/a"), Path.of("/dev/b"), 5, false)).doesNotContain("conv=sparse");
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
