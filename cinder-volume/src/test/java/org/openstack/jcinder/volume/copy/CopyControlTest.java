package org.openstack.jcinder.volume.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancel and live bandwidth changes of running copies, both engines, on real files and processes. Nothing
 * here asserts a speed: only that the copy stays under a limit (with slack for what is in flight), that a
 * change is picked up, and that a copy which could not end in time under the old limit does end.
 */
class CopyControlTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        runner.shutdownNow();
    }

    private Path sparseFile(String name, long size) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    private static void waitFor(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aRunningNativeCopySlowsDownAndSpeedsUpWhenTheLimitChanges() throws Exception {
        long size = 512 * MIB;
        Path src = sparseFile("src", size);
        Path dst = sparseFile("dst", size);
        NativeCopyEngine engine = new NativeCopyEngine(new NativeCopyEngine.Settings((int) MIB, 2, false, 0));
        CopyControl control = new CopyControl(64 * MIB);
        AtomicLong copied = new AtomicLong();
        Future<?> copy = runner.submit(() -> engine.copy(src, dst, size, false, copied::set, control));
        waitFor("the first limit in effect", () -> control.appliedBpsLimit() == 64 * MIB);

        control.setBpsLimit(2 * MIB);
        waitFor("the lower limit in effect", () -> control.appliedBpsLimit() == 2 * MIB);
        long b0 = copied.get();
        long t0 = System.nanoTime();
        Thread.sleep(1500);
        long b1 = copied.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        // Under the new limit, plus what the two streams had in flight when it changed.
        assertThat(b1 - b0).isLessThanOrEqualTo((long) (2 * MIB * seconds) + 4 * MIB);
        assertThat(copy.isDone()).isFalse();

        control.setBpsLimit(0);
        // At 2 MiB/s the remaining 400+ MiB would need over 200 s.
        copy.get(60, TimeUnit.SECONDS);
        assertThat(control.appliedBpsLimit()).isZero();
        assertThat(copied.get()).isEqualTo(size);
    }

    @Test
    void aCancelledNativeCopyStopsBetweenChunks() throws Exception {
        long size = 256 * MIB;
        Path src = sparseFile("src", size);
        Path dst = sparseFile("dst", size);
        NativeCopyEngine engine = new NativeCopyEngine(new NativeCopyEngine.Settings((int) MIB, 2, true, 0));
        CopyControl control = new CopyControl(2 * MIB);
        AtomicLong copied = new AtomicLong();
        Future<?> copy = runner.submit(() -> engine.copy(src, dst, size, false, copied::set, control));
        waitFor("some progress", () -> copied.get() > 0);
        control.cancel();
        // Uncancelled, it would need two minutes at 2 MiB/s.
        assertThatThrownBy(() -> copy.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(CopyCancelledException.class);
        assertThat(copied.get()).isLessThan(size);
    }

    @Test
    void aCancelledDdIsEnded() throws Exception {
        CopyControl control = CopyControl.none();
        AtomicLong copied = new AtomicLong();
        // A copy that would run for hours: a terabyte of zeros into /dev/null.
        Future<?> copy = runner.submit(() -> new DdCopyEngine().copy(Path.of("/dev/zero"), Path.of("/dev/null"),
                1L << 40, false, copied::set, control));
        waitFor("dd reporting progress", () -> copied.get() > 0);
        control.cancel();
        assertThatThrownBy(() -> copy.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(CopyCancelledException.class);
        assertThat(copied.get()).isLessThan(1L << 40);
    }

    /*
     * dd is paced by stopping and continuing it (ProcessPacer): it can be ahead of its schedule by what it reads
     * between two looks of the pacer thread. On a loaded machine a look can come tens of milliseconds late, and
     * dd reads a sparse file at a gigabyte per second or more, so the copies below are large (seconds at the
     * limit, a fraction of a second unthrottled, nothing written: conv=sparse) and the bound leaves room for such a
     * burst: a dd that was not paced at all ends far below it.
     */

    @Test
    void aDdCopyIsPacedToItsLimit() throws Exception {
        long size = 512 * MIB;
        Path src = sparseFile("src", size);
        Path dst = sparseFile("dst", size);
        CopyControl control = new CopyControl(128 * MIB);
        long started = System.nanoTime();
        new DdCopyEngine().copy(src, dst, size, true, b -> { }, control);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(control.appliedBpsLimit()).isEqualTo(128 * MIB);
        // 512 MiB at 128 MiB/s: 4 s; at least half of it (a burst of up to 256 MiB); the upper bound only catches
        // a stall.
        assertThat(seconds).isGreaterThan(2.0).isLessThan(60);
    }

    @Test
    void theBackendsLimitPacesDdWhenTheMigrationSetsNone() throws Exception {
        long size = 256 * MIB;
        Path src = sparseFile("src", size);
        Path dst = sparseFile("dst", size);
        CopyControl control = CopyControl.none();
        long started = System.nanoTime();
        new DdCopyEngine("1M", 128 * MIB).copy(src, dst, size, true, b -> { }, control);
        assertThat(control.appliedBpsLimit()).isEqualTo(128 * MIB);
        // 2 s at the backend's limit; at least half of it.
        assertThat((System.nanoTime() - started) / 1e9).isGreaterThan(1.0);
    }

    @Test
    void aRunningDdFollowsALiftedLimit() throws Exception {
        long size = 256 * MIB;
        Path src = sparseFile("src", size);
        Path dst = sparseFile("dst", size);
        CopyControl control = new CopyControl(MIB);
        AtomicLong copied = new AtomicLong();
        Future<?> copy = runner.submit(() -> new DdCopyEngine().copy(src, dst, size, false, copied::set, control));
        waitFor("the limit in effect", () -> control.appliedBpsLimit() == MIB);
        Thread.sleep(1500);
        assertThat(copy.isDone()).isFalse();
        control.setBpsLimit(0);
        // At 1 MiB/s the 256 MiB would need over four minutes.
        copy.get(60, TimeUnit.SECONDS);
        assertThat(control.appliedBpsLimit()).isZero();
        assertThat(copied.get()).isEqualTo(size);
        assertThat(java.nio.file.Files.mismatch(src, dst)).isEqualTo(-1);
    }

    @Test
    void aPausedDdIsEndedByACancel() throws Exception {
        long size = 256 * MIB;
        Path src = sparseFile("src", size);
        Path dst = sparseFile("dst", size);
        CopyControl control = new CopyControl(MIB);
        Future<?> copy = runner.submit(() -> new DdCopyEngine().copy(src, dst, size, false, b -> { }, control));
        waitFor("the limit in effect", () -> control.appliedBpsLimit() == MIB);
        Thread.sleep(1200); // long enough to be stopped by the pacer at least once
        control.cancel();
        assertThatThrownBy(() -> copy.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(CopyCancelledException.class);
    }

    @Test
    void aCancelledKernelCopyStopsBetweenChunks() throws Exception {
        long size = 256 * MIB;
        Path src = dir.resolve("src");
        // Data, so that every chunk goes through copy_file_range.
        try (RandomAccessFile f = new RandomAccessFile(src.toFile(), "rw")) {
            byte[] chunk = new byte[(int) MIB];
            java.util.Arrays.fill(chunk, (byte) 7);
            for (int i = 0; i < 256; i++) {
                f.write(chunk);
            }
        }
        Path dst = sparseFile("dst", size);
        NativeCopyEngine engine = new NativeCopyEngine(new NativeCopyEngine.Settings((int) MIB, 2, true, 0));
        CopyControl control = new CopyControl(2 * MIB);
        AtomicLong copied = new AtomicLong();
        Future<?> copy = runner.submit(() -> engine.copy(src, dst, size, true, copied::set, control));
        waitFor("some progress", () -> copied.get() > 0);
        control.cancel();
        assertThatThrownBy(() -> copy.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(CopyCancelledException.class);
        assertThat(copied.get()).isLessThan(size);
        assertThat(KernelCopy.applies(src, dst)).as("the copy_file_range path").isTrue();
    }
}
