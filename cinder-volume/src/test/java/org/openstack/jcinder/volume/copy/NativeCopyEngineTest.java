package org.openstack.jcinder.volume.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.common.exception.VolumeDriverException;

class NativeCopyEngineTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    /** 64 MiB, sparse, with random data in a few places (one of them across a block boundary). */
    private Path source() throws Exception {
        Path src = dir.resolve("src");
        Random random = new Random(7);
        try (RandomAccessFile f = new RandomAccessFile(src.toFile(), "rw")) {
            f.setLength(64 * MIB);
            for (long offset : new long[] {0, 4 * MIB - 100, 33 * MIB + 7, 64 * MIB - 512}) {
                byte[] data = new byte[512];
                random.nextBytes(data);
                f.seek(offset);
                f.write(data);
            }
        }
        return src;
    }

    private Path emptyDestination(long size) throws Exception {
        Path dst = dir.resolve("dst");
        try (RandomAccessFile f = new RandomAccessFile(dst.toFile(), "rw")) {
            f.setLength(size);
        }
        return dst;
    }

    private static long allocatedBytes(Path p) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", p.toString()).start();
        return Long.parseLong(new String(stat.getInputStream().readAllBytes()).strip()) * 512;
    }

    @Test
    void copiesEveryByteWithSeveralStreamsAndKeepsTheDestinationSparse() throws Exception {
        Path src = source();
        Path dst = emptyDestination(64 * MIB);
        AtomicLong progress = new AtomicLong();
        new NativeCopyEngine(new NativeCopyEngine.Settings(1 << 20, 4, true, 0)).copy(src, dst, 64 * MIB, true,
                progress::set);
        assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
        assertThat(progress.get()).isEqualTo(64 * MIB);
        // Only the four written regions were written, at 64 KiB grain (five pieces: one crosses a boundary).
        assertThat(allocatedBytes(dst)).isLessThanOrEqualTo(5 * 64 * 1024 + 64 * 1024);
    }

    /** Every path of the engine, sparse or not, verifying or not: the same bytes, the whole length. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "true, true, true, COPY_FILE_RANGE", "true, false, true, COPY_FILE_RANGE",
            "true, true, false, COPY_FILE_RANGE", "true, false, false, COPY_FILE_RANGE",
            "false, true, true, USER_SPACE", "false, false, true, USER_SPACE",
            "false, true, false, USER_SPACE", "false, false, false, USER_SPACE"})
    void everyPathCopiesEveryByte(boolean offload, boolean sparse, boolean verify, String route) throws Exception {
        Path src = source();
        Path dst = emptyDestination(sparse ? 64 * MIB : 0);
        if (!sparse) {
            Files.write(dst, new byte[] {9, 9, 9}); // a destination that does not read as zeros
        }
        AtomicLong progress = new AtomicLong();
        NativeCopyEngine engine = new NativeCopyEngine(new NativeCopyEngine.Settings((int) MIB, 3, verify, 0,
                NativeCopyEngine.DirectIo.BLOCK_DEVICES, offload));
        engine.copy(src, dst, 64 * MIB, sparse, progress::set);
        assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
        assertThat(progress.get()).isEqualTo(64 * MIB);
        assertThat(engine.lastRoute()).isEqualTo(route);
        if (sparse) {
            assertThat(allocatedBytes(dst)).isLessThanOrEqualTo(6 * 64 * 1024);
        }
    }

    @Test
    void aSourceShorterThanTheVolumeReadsAsZerosPastItsEndOnEveryPath() throws Exception {
        Path src = dir.resolve("short");
        byte[] data = new byte[(int) (3 * MIB + 5)];
        new Random(3).nextBytes(data);
        Files.write(src, data);
        for (boolean sparse : new boolean[] {true, false}) {
            Path dst = dir.resolve("dst-" + sparse);
            Files.deleteIfExists(dst);
            Files.write(dst, new byte[] {5, 5});
            if (sparse) {
                Files.write(dst, new byte[0]);
            }
            NativeCopyEngine engine = new NativeCopyEngine(new NativeCopyEngine.Settings((int) MIB, 2, true, 0));
            engine.copy(src, dst, 8 * MIB, sparse, b -> { });
            byte[] out = Files.readAllBytes(dst);
            assertThat(out.length).as("sparse=" + sparse).isEqualTo((int) (8 * MIB));
            assertThat(java.util.Arrays.equals(out, 0, data.length, data, 0, data.length)).isTrue();
            for (int i = data.length; i < out.length; i++) {
                assertThat(out[i]).as("byte " + i + ", sparse=" + sparse).isZero();
            }
            assertThat(engine.lastRoute()).isEqualTo(sparse ? "COPY_FILE_RANGE" : "USER_SPACE");
        }
    }

    @Test
    void aCopyBetweenFilesystemsTakesTheUserSpacePath() throws Exception {
        Path src = source();
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm");
        Path dst = Files.createTempFile(shm, "jcinder-copy", "");
        try {
            NativeCopyEngine engine = new NativeCopyEngine(NativeCopyEngine.Settings.defaults());
            engine.copy(src, dst, 64 * MIB, true, b -> { });
            assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
            assertThat(engine.lastRoute()).isEqualTo("USER_SPACE");
        } finally {
            Files.deleteIfExists(dst);
        }
    }

    @Test
    void withoutSparseEveryBlockIsWritten() throws Exception {
        Path src = source();
        Path dst = emptyDestination(0);
        new NativeCopyEngine(new NativeCopyEngine.Settings(1 << 20, 2, false, 0)).copy(src, dst, 64 * MIB, false,
                b -> { });
        assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
        assertThat(allocatedBytes(dst)).isGreaterThanOrEqualTo(60 * MIB);
    }

    @Test
    void honoursTheBandwidthLimit() throws Exception {
        Path src = source();
        Path dst = emptyDestination(64 * MIB);
        long started = System.nanoTime();
        // Not sparse, so every block is read and written: the limit paces the data actually moved.
        new NativeCopyEngine(new NativeCopyEngine.Settings(1 << 20, 4, false, 32 * MIB)).copy(src, dst, 16 * MIB,
                false, b -> { });
        // 16 MiB at 32 MiB/s cannot take less than about half a second.
        assertThat((System.nanoTime() - started) / 1e9).isGreaterThan(0.4);
    }

    @Test
    void aMissingSourceIsAClearError() {
        assertThatThrownBy(() -> new NativeCopyEngine(NativeCopyEngine.Settings.defaults())
                .copy(dir.resolve("nope"), dir.resolve("x"), 10, false, b -> { }))
                .isInstanceOf(VolumeDriverException.class).hasMessageContaining("nope");
    }

    @Test
    void backendsChooseTheirEngineInCinderConf() {
        CinderConfig c = CinderConfig.from(IniFile.parse(Path.of("t.conf"), java.util.List.of("[DEFAULT]",
                "enabled_backends = a, b, c, d", "[a]", "volume_driver = file", "[b]", "volume_driver = file",
                "volume_copy_engine = native", "volume_copy_streams = 8", "[c]", "volume_driver = file",
                "volume_copy_engine = rsync", "[d]", "volume_driver = file", "volume_copy_engine = dd")));
        DdCopyEngine dd = new DdCopyEngine();
        // The native engine is the default (the fastest here, docs/benchmarks.md); dd is an option.
        assertThat(CopyEngines.forBackend(c.backends().get("a"), dd)).isInstanceOf(NativeCopyEngine.class);
        assertThat(CopyEngines.forBackend(c.backends().get("b"), dd)).isInstanceOf(NativeCopyEngine.class);
        assertThat(CopyEngines.forBackend(c.backends().get("d"), dd)).isSameAs(dd);
        assertThatThrownBy(() -> CopyEngines.forBackend(c.backends().get("c"), dd))
                .hasMessage("t.conf: [c] volume_copy_engine: 'rsync' is not dd or native");
    }

    @Test
    void aBadCopyOptionNamesFileSectionAndKey() {
        CinderConfig c = CinderConfig.from(IniFile.parse(Path.of("t.conf"), java.util.List.of("[DEFAULT]",
                "enabled_backends = a, b", "[a]", "volume_driver = file", "volume_copy_engine = native",
                "volume_copy_direct_io = maybe", "[b]", "volume_driver = file", "volume_copy_engine = native",
                "volume_copy_streams = many")));
        DdCopyEngine dd = new DdCopyEngine();
        assertThatThrownBy(() -> CopyEngines.forBackend(c.backends().get("a"), dd))
                .hasMessage("t.conf: [a] volume_copy_direct_io: 'maybe' is not a boolean");
        assertThatThrownBy(() -> CopyEngines.forBackend(c.backends().get("b"), dd))
                .hasMessage("t.conf: [b] volume_copy_streams: 'many' is not an integer between 1 and 1024");
    }

    @Test
    void byDefaultOnlyBlockDevicesAreCopiedWithDirectIo() throws Exception {
        Path src = source();
        Path dst = emptyDestination(64 * MIB);
        NativeCopyEngine.Settings d = NativeCopyEngine.Settings.defaults();
        NativeCopyEngine engine = new NativeCopyEngine(new NativeCopyEngine.Settings(d.blockBytes(), d.streams(),
                d.verify(), 0, d.directIo(), false));
        engine.copy(src, dst, 64 * MIB, true, b -> { });
        assertThat(engine.lastDirectIo()).isEqualTo("false/false");
        assertThat(NativeCopyEngine.DirectIo.BLOCK_DEVICES.wanted(Path.of("/dev/null"))).as("a character device")
                .isFalse();
        java.util.Optional<Path> disk;
        try (var blocks = Files.list(Path.of("/sys/class/block"))) {
            disk = blocks.map(b -> Path.of("/dev", b.getFileName().toString())).filter(Files::exists).findFirst();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(disk.isPresent(), "no block device under /dev");
        assertThat(NativeCopyEngine.DirectIo.BLOCK_DEVICES.wanted(disk.get())).as(disk.get().toString()).isTrue();
        assertThat(NativeCopyEngine.DirectIo.NEVER.wanted(disk.get())).isFalse();
    }

    @Test
    void usesDirectIoWhereTheFilesAllowItAndFallsBackWhereRefused() throws Exception {
        Path src = source();
        Path dst = emptyDestination(64 * MIB);
        // Without the kernel's paths (offload), which would take this copy between two files.
        NativeCopyEngine engine = new NativeCopyEngine(new NativeCopyEngine.Settings((int) MIB, 2, true, 0,
                NativeCopyEngine.DirectIo.ALWAYS, false));
        engine.copy(src, dst, 64 * MIB, true, b -> { });
        assertThat(engine.lastDirectIo()).isEqualTo("true/true");
        assertThat(Files.mismatch(src, dst)).isEqualTo(-1);

        // /dev/zero refuses O_DIRECT (EINVAL): the source is read buffered, the copy still completes.
        Path zeros = dir.resolve("zeros");
        Files.write(zeros, new byte[] {1});
        engine.copy(Path.of("/dev/zero"), zeros, 8 * MIB, false, b -> { });
        assertThat(engine.lastDirectIo()).isEqualTo("false/true");
        assertThat(Files.size(zeros)).isEqualTo(8 * MIB);
        try (var in = Files.newInputStream(zeros)) {
            assertThat(in.readAllBytes()).containsOnly((byte) 0);
        }

        // An odd length cannot be done with aligned direct I/O at all: buffered, same bytes.
        Path odd = Files.createFile(dir.resolve("odd"));
        engine.copy(src, odd, 5 * MIB + 3, false, b -> { });
        assertThat(engine.lastDirectIo()).isEqualTo("false/false");
        assertThat(Files.size(odd)).isEqualTo(5 * MIB + 3);
    }
}
