package org.openstack.jcinder.volume.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's fast paths on a filesystem that has them: an XFS image with {@code reflink=1}, loop-mounted.
 * Needs root, {@code mkfs.xfs} (xfsprogs) and loop devices; skipped with the reason without them, except where
 * {@code CINDER_TEST_REQUIRE_REFLINK=1} (CI: {@code .ci/run} installs xfsprogs), where it must run.
 */
class ReflinkCopyTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;
    private Path mount;

    @BeforeEach
    void mountXfs() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean mkfs = Files.isExecutable(Path.of("/usr/sbin/mkfs.xfs")) || Files.isExecutable(Path.of("/sbin/mkfs.xfs"));
        if (!root || !mkfs) {
            String why = !root ? "root is needed to loop-mount a filesystem" : "mkfs.xfs (xfsprogs) is not installed";
            if ("1".equals(System.getenv("CINDER_TEST_REQUIRE_REFLINK"))) {
                throw new IllegalStateException(why + " (CINDER_TEST_REQUIRE_REFLINK=1)");
            }
            Assumptions.abort(why);
        }
        Path image = dir.resolve("xfs.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(512 * MIB);
        }
        run("mkfs.xfs", "-q", "-m", "reflink=1", image.toString());
        mount = Files.createDirectories(dir.resolve("mnt"));
        run("mount", "-o", "loop", image.toString(), mount.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            run("umount", mount.toString()); // a loop mount's device is detached with it
        }
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
    }

    private Path source(Path in, long size) throws Exception {
        Path src = in.resolve("src");
        Random random = new Random(11);
        try (RandomAccessFile f = new RandomAccessFile(src.toFile(), "rw")) {
            f.setLength(size);
            byte[] data = new byte[3 * (int) MIB];
            for (long offset : new long[] {0, 17 * MIB + 5, size - data.length}) {
                random.nextBytes(data);
                f.seek(offset);
                f.write(data);
            }
        }
        return src;
    }

    private static Path sparse(Path p, long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    @Test
    void aCopyOnOneReflinkFilesystemIsACloneAndKeepsEveryByte() throws Exception {
        Path src = source(mount, 64 * MIB);
        Path dst = sparse(mount.resolve("dst"), 64 * MIB);
        NativeCopyEngine engine = new NativeCopyEngine(NativeCopyEngine.Settings.defaults());
        List<Long> progress = new java.util.ArrayList<>();
        engine.copy(src, dst, 64 * MIB, true, progress::add);
        assertThat(engine.lastRoute()).isEqualTo("CLONE");
        assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
        assertThat(progress).last().isEqualTo(64 * MIB);
        // A write to the clone does not reach the source (shared blocks are copied on write).
        try (RandomAccessFile f = new RandomAccessFile(dst.toFile(), "rw")) {
            f.write(new byte[] {1, 2, 3});
        }
        assertThat(Files.mismatch(src, dst)).isEqualTo(0);
    }

    @Test
    void aCheckpointedCopyThatClonesRecordsNoCheckpointAndKeepsEveryByte() throws Exception {
        // A clone is made again in no time after a crash: a checkpoint would only cost a read of every block.
        Path src = source(mount, 64 * MIB);
        Path dst = sparse(mount.resolve("dst"), 64 * MIB);
        NativeCopyEngine engine = new NativeCopyEngine(NativeCopyEngine.Settings.defaults());
        List<CheckpointedCopy.Checkpoint> points = new java.util.ArrayList<>();
        List<Long> progress = new java.util.ArrayList<>();
        new CheckpointedCopy(engine, 8 * MIB).copy(src, dst, 64 * MIB, 0, true, progress::add, CopyControl.none(),
                points::add);
        assertThat(engine.lastRoute()).isEqualTo("CLONE");
        assertThat(points).isEmpty();
        assertThat(progress).last().isEqualTo(64 * MIB);
        assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
    }

    @Test
    void aPartOfAFileGoesThroughCopyFileRange() throws Exception {
        // The volume is shorter than the source file: no whole-file clone, copy_file_range over the extents.
        Path src = source(mount, 64 * MIB);
        Path dst = sparse(mount.resolve("dst"), 0);
        NativeCopyEngine engine = new NativeCopyEngine(NativeCopyEngine.Settings.defaults());
        engine.copy(src, dst, 32 * MIB, true, b -> { });
        assertThat(engine.lastRoute()).isEqualTo("COPY_FILE_RANGE");
        assertThat(Files.size(dst)).isEqualTo(32 * MIB);
        byte[] a = Files.readAllBytes(src);
        byte[] b = Files.readAllBytes(dst);
        assertThat(java.util.Arrays.equals(a, 0, (int) (32 * MIB), b, 0, (int) (32 * MIB))).isTrue();
    }

    @Test
    void fromAnotherFilesystemTheEngineCopiesItself() throws Exception {
        Path src = source(dir, 64 * MIB);
        Path dst = sparse(mount.resolve("dst"), 64 * MIB);
        NativeCopyEngine engine = new NativeCopyEngine(NativeCopyEngine.Settings.defaults());
        engine.copy(src, dst, 64 * MIB, true, b -> { });
        assertThat(engine.lastRoute()).isEqualTo("USER_SPACE");
        assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
    }

    @Test
    void theDdEngineCopiesOnItToo() throws Exception {
        Path src = source(mount, 64 * MIB);
        Path dst = sparse(mount.resolve("dst"), 64 * MIB);
        new DdCopyEngine().copy(src, dst, 64 * MIB, true, b -> { });
        assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
    }
}
