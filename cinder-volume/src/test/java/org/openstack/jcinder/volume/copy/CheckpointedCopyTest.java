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
