package org.openstack.jcinder.volume.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copies in checkpointed ranges, and ranges of the native engine (both its paths) that skip what is done. */
class CheckpointedCopyTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void everyRangeIsCheckpointedWithTheDestinationsChecksumAndVerifiedLater() throws Exception {
        for (boolean offload : new boolean[] {false, true}) {
            Path src = random("src-" + offload, 4 * MIB);
            Path dst = Files.createFile(dir.resolve("dst-" + offload));
            List<CheckpointedCopy.Checkpoint> points = new ArrayList<>();
            new CheckpointedCopy(engine(offload), MIB).copy(src, dst, 4 * MIB, 0, false, b -> { },
                    CopyControl.none(), points::add);

            assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
            assertThat(points).extracting(CheckpointedCopy.Checkpoint::start).containsExactly(0L, 1L * MIB,
                    2L * MIB, 3L * MIB);
            for (CheckpointedCopy.Checkpoint p : points) {
                assertThat(p.crc32c()).isEqualTo(CheckpointedCopy.crc32c(src, p.start(), p.end()));
            }
            assertThat(CheckpointedCopy.verifiedPrefix(dst, points)).isEqualTo(4L * MIB);
            // A byte changed in the third range: only the first two are still trusted.
            try (RandomAccessFile f = new RandomAccessFile(dst.toFile(), "rw")) {
                f.seek(2L * MIB + 5);
                f.write(f.read() ^ 0xff);
            }
            assertThat(CheckpointedCopy.verifiedPrefix(dst, points)).isEqualTo(2L * MIB);
            // A gap is not bridged.
            assertThat(CheckpointedCopy.verifiedPrefix(dst, List.of(points.get(1)))).isZero();
        }
    }

    @Test
    void aResumedRangeCopyLeavesTheDonePartAloneAndReportsProgressIncludingIt() throws Exception {
        for (boolean offload : new boolean[] {false, true}) {
            Path src = random("src-" + offload, 4 * MIB);
            Path dst = Files.createFile(dir.resolve("dst-" + offload));
            List<Long> progress = new CopyOnWriteArrayList<>();
            long reached = engine(offload).copyRange(src, dst, 4 * MIB, 2L * MIB, 4L * MIB, false, progress::add,
                    CopyControl.none());

            assertThat(reached).isEqualTo(4L * MIB);
            byte[] head = new byte[2 * MIB];
            try (RandomAccessFile f = new RandomAccessFile(dst.toFile(), "r")) {
                f.readFully(head);
            }
            assertThat(head).containsOnly(0); // never written: the "already copied" part
            assertThat(CheckpointedCopy.crc32c(dst, 2L * MIB, 4L * MIB))
                    .isEqualTo(CheckpointedCopy.crc32c(src, 2L * MIB, 4L * MIB));
            assertThat(progress).isNotEmpty().allMatch(b -> b > 2L * MIB && b <= 4L * MIB);
            assertThat(progress.get(progress.size() - 1)).isEqualTo(4L * MIB);
        }
    }

    @Test
    void theChecksumOfASparseFileCountsItsHolesAsZerosWithoutReadingThem() throws Exception {
        Path sparse = dir.resolve("sparse");
        byte[] logical = new byte[10 * MIB]; // the file is 8 MiB: the last 2 MiB asked for read as zeros
        Random random = new Random(3);
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(8L * MIB);
            for (long[] run : new long[][] {{MIB, MIB / 2}, {5L * MIB + 4096, MIB - 4096}}) {
                byte[] data = new byte[(int) run[1]];
                random.nextBytes(data);
                f.seek(run[0]);
                f.write(data);
                System.arraycopy(data, 0, logical, (int) run[0], data.length);
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(ExtentMap.seekData(sparse).map(r -> r.stream()
                .mapToLong(x -> x.end() - x.start()).sum() < 8L * MIB).orElse(false),
                "the temporary directory's filesystem keeps holes");

        for (long[] window : new long[][] {{0, 10L * MIB}, {0, 8L * MIB}, {MIB + 100, 6L * MIB - 7},
                {2L * MIB, 5L * MIB}, {7L * MIB, 10L * MIB}}) {
            java.util.zip.CRC32C expected = new java.util.zip.CRC32C();
            expected.update(logical, (int) window[0], (int) (window[1] - window[0]));
            assertThat(CheckpointedCopy.crc32c(sparse, window[0], window[1]))
                    .as("[%d, %d)", window[0], window[1]).isEqualTo(expected.getValue());
        }
    }

    @Test
    void aSparseCopysRangesHoldAFixedAmountOfDataSoHolesCostNoCheckpointOfTheirOwn() throws Exception {
        // 16 MiB with 1 MiB of data at 2, 3 and 12 MiB: ranges of 1 MiB of data end where each run of data
        // reaches 1 MiB, and the holes after the last run are one range with it.
        Path src = dir.resolve("sparse-src");
        try (RandomAccessFile f = new RandomAccessFile(src.toFile(), "rw")) {
            f.setLength(16L * MIB);
            byte[] data = new byte[MIB];
            new Random(5).nextBytes(data);
            for (long at : new long[] {2L * MIB, 3L * MIB, 12L * MIB}) {
                f.seek(at);
                f.write(data);
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(ExtentMap.seekData(src).map(r -> r.stream()
                .mapToLong(x -> x.end() - x.start()).sum() < 16L * MIB).orElse(false),
                "the temporary directory's filesystem keeps holes");
        for (boolean offload : new boolean[] {false, true}) {
            Path dst = Files.createFile(dir.resolve("sparse-dst-" + offload));
            List<CheckpointedCopy.Checkpoint> points = new ArrayList<>();
            new CheckpointedCopy(engine(offload), MIB).copy(src, dst, 16L * MIB, 0, true, b -> { },
                    CopyControl.none(), points::add);

            assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
            assertThat(points).extracting(CheckpointedCopy.Checkpoint::end)
                    .containsExactly(3L * MIB, 4L * MIB, 16L * MIB);
            assertThat(CheckpointedCopy.verifiedPrefix(dst, points)).isEqualTo(16L * MIB);
        }
    }

    @Test
    void theEngineReturnsTheDestinationsChecksumFromItsVerificationWithZeroPiecesItLeftUnwritten()
            throws Exception {
        // Data in pieces smaller than a block, zero 64 KiB pieces between them, a tail past the source's end.
        Path src = dir.resolve("pieces");
        byte[] logical = new byte[3 * MIB];
        Random random = new Random(9);
        try (RandomAccessFile f = new RandomAccessFile(src.toFile(), "rw")) {
            f.setLength(2L * MIB + 4096);
            for (long[] run : new long[][] {{4096, 10_000}, {200 << 10, 64 << 10}, {MIB + 300_000, 70_000},
                    {2L * MIB, 4096}}) {
                byte[] data = new byte[(int) run[1]];
                random.nextBytes(data);
                f.seek(run[0]);
                f.write(data);
                System.arraycopy(data, 0, logical, (int) run[0], data.length);
            }
        }
        // Both routes: the engine's own loop (its read-back) and copy_file_range (the pages it compared).
        for (boolean offload : new boolean[] {false, true}) {
            for (boolean sparse : new boolean[] {true, false}) {
                Path dst = Files.createFile(dir.resolve("pieces-dst-" + sparse + offload));
                NativeCopyEngine engine = engine(offload);
                CopyEngine.RangeCopy copied = engine.copyRangeChecksummed(src, dst, 3L * MIB, 64 << 10, 3L * MIB,
                        sparse, b -> { }, CopyControl.none());

                java.util.zip.CRC32C expected = new java.util.zip.CRC32C();
                expected.update(logical, 64 << 10, 3 * MIB - (64 << 10));
                assertThat(copied.end()).isEqualTo(3L * MIB);
                assertThat(copied.destinationCrc32c()).as("sparse=%s via %s", sparse, engine.lastRoute())
                        .isEqualTo(expected.getValue()).isEqualTo(CheckpointedCopy.crc32c(dst, 64 << 10, 3L * MIB));
            }
        }
        // Without verification the engine has read nothing back: the caller must read the destination.
        Path dst = Files.createFile(dir.resolve("pieces-unverified"));
        assertThat(new NativeCopyEngine(new NativeCopyEngine.Settings(256 << 10, 2, false, 0,
                NativeCopyEngine.DirectIo.NEVER, false)).copyRangeChecksummed(src, dst, 3L * MIB, 0, 3L * MIB,
                true, b -> { }, CopyControl.none()).destinationCrc32c()).isEqualTo(CopyEngine.RangeCopy.UNKNOWN);
    }

    @Test
    void aCheckpointedCopyLeavesNeitherVolumeInThePageCache() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/fincore")),
                "fincore (util-linux) reports page-cache residency");
        for (boolean offload : new boolean[] {false, true}) {
            Path src = random("cached-src-" + offload, 4 * MIB);
            Path dst = Files.createFile(dir.resolve("cached-dst-" + offload));
            // A volume at rest: its pages are clean (dirty ones cannot be dropped until written back).
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(src)) {
                ch.force(true);
            }
            new CheckpointedCopy(engine(offload), MIB).copy(src, dst, 4 * MIB, 0, false, b -> { },
                    CopyControl.none(), c -> { });

            assertThat(resident(src)).as("source bytes cached, offload=%s", offload).isZero();
            assertThat(resident(dst)).as("destination bytes cached, offload=%s", offload).isZero();
            assertThat(Files.mismatch(src, dst)).isEqualTo(-1); // (reads both back in: after the residency check)
        }
    }

    private static long resident(Path file) throws Exception {
        Process p = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return Long.parseLong(out);
    }

    private static NativeCopyEngine engine(boolean offload) {
        return new NativeCopyEngine(new NativeCopyEngine.Settings(256 << 10, 2, true, 0,
                NativeCopyEngine.DirectIo.NEVER, offload));
    }

    private Path random(String name, int size) throws Exception {
        byte[] b = new byte[size];
        new Random(name.hashCode()).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }
}
