package org.openstack.jcinder.benchmarks;

import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.openstack.jcinder.compute.virt.BlockCopyControl;
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver.DomainSpec;
import org.openstack.jcinder.compute.virt.simulated.SimulatedHypervisor;

/**
 * The attached path's data mover, measured from the guest's side: the simulated hypervisor swaps a disk of
 * random data onto a fresh sparse file while a guest writes 4 KiB blocks with a flush after each (a journal),
 * and the benchmark reports how long the copy took, how many writes the guest completed during it, the guest's
 * write+flush latency before and during the copy (the pause of the pivot included), the heap's peak, and
 * {@code dd}'s time for the same bytes as the machine's baseline. Afterwards it checks every block the guest
 * wrote is on the new disk with its last content and the rest equals the source.
 *
 * <p>Run: {@code benchmarks/run-swap.sh [--dir DIR] [--gib N]}.
 */
public final class SwapBenchmark {

    private static final int BLOCK = 4096;
    private static final long JOURNAL_AREA = 256L << 20;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("/var/tmp/jcinder-swap-bench");
        long gib = 2;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dir")) {
                dir = Path.of(args[++i]);
            } else if (args[i].equals("--gib")) {
                gib = Long.parseLong(args[++i]);
            }
        }
        Files.createDirectories(dir);
        long size = gib << 30;
        Path source = CopyBenchmark.random(dir.resolve("swap-source-" + gib + "g"), size);
        Path work = dir.resolve("swap-old");
        Path target = dir.resolve("swap-new");
        Files.copy(source, work, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        sparse(target, size);
        double ddSeconds = dd(work, dir.resolve("dd-baseline"), size);
        boolean dropped = CopyBenchmark.dropCaches();

        SimulatedHypervisor hv = new SimulatedHypervisor(false);
        hv.spawn(new DomainSpec("bench", "bench", 96, 1));
        hv.attachDisk("bench", new Disk("vdb", work.toAbsolutePath(), false, "vol-old"));
        Guest guest = new Guest(hv);
        Thread writer = new Thread(guest, "bench-guest");
        writer.start();
        Thread.sleep(2000);
        long copyStart = System.nanoTime();
        hv.swapVolume("bench", "vdb", new Disk("vdb", target.toAbsolutePath(), false, "vol-new"),
                BlockCopyControl.NONE);
        long copyEnd = System.nanoTime();
        Thread.sleep(2000);
        guest.stop = true;
        writer.join();
        hv.close();

        double seconds = (copyEnd - copyStart) / 1e9;
        long[] before = guest.latencies(0, copyStart);
        long[] during = guest.latencies(copyStart, copyEnd);
        String check = verify(guest, source, target, size);
        System.out.printf("Swap benchmark: %d GiB of random data, file to sparse file, page cache %s%n", gib,
                dropped ? "dropped before the copy" : "NOT dropped (needs root)");
        System.out.printf("  copy + pivot            %8.2f s  %8.1f MB/s%n", seconds, size / seconds / 1e6);
        System.out.printf("  dd baseline (same bytes) %7.2f s  %8.1f MB/s  (dd bs=1M conv=fdatasync)%n", ddSeconds,
                size / ddSeconds / 1e6);
        System.out.printf("  guest writes+flushes     before: %6d  during the copy: %6d%n", before.length,
                during.length);
        System.out.printf("  guest latency before     p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n", pct(before, 50),
                pct(before, 99), pct(before, 100));
        System.out.printf("  guest latency during     p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n", pct(during, 50),
                pct(during, 99), pct(during, 100));
        System.out.printf("  heap peak               %8.1f MiB (all heap pools)%n", heapPeak() / 1048576.0);
        System.out.printf("  check                    %s%n", check);
        Files.deleteIfExists(work);
        Files.deleteIfExists(target);
        Files.deleteIfExists(dir.resolve("dd-baseline"));
    }

    /** A guest writing 4 KiB blocks in the first 256 MiB, each followed by a flush, timing each pair. */
    static final class Guest implements Runnable {
        final SimulatedHypervisor hv;
        final long[] at = new long[4_000_000];
        final long[] took = new long[4_000_000];
        int count;
        volatile boolean stop;

        Guest(SimulatedHypervisor hv) {
            this.hv = hv;
        }

        @Override
        public void run() {
            byte[] block = new byte[BLOCK];
            while (!stop && count < at.length) {
                long seq = count + 1L;
                ByteBuffer.wrap(block).putLong(0, seq).putLong(BLOCK - 8, seq);
                long t0 = System.nanoTime();
                hv.guestWrite("bench", "vdb", slot(seq) * BLOCK, block);
                at[count] = t0;
                took[count] = System.nanoTime() - t0;
                count++;
            }
        }

        long[] latencies(long from, long to) {
            return java.util.stream.IntStream.range(0, count).filter(i -> at[i] >= from && at[i] < to)
                    .mapToLong(i -> took[i]).sorted().toArray();
        }
    }

    static long slot(long seq) {
        return (seq - 1) % (JOURNAL_AREA / BLOCK);
    }

    /** Every slot holds the last block written to it; beyond the journal area the bytes are the source's. */
    private static String verify(Guest guest, Path source, Path target, long size) throws Exception {
        long slots = JOURNAL_AREA / BLOCK;
        try (FileChannel t = FileChannel.open(target, StandardOpenOption.READ);
             FileChannel s = FileChannel.open(source, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(BLOCK);
            for (long seq = Math.max(1, guest.count - slots + 1); seq <= guest.count; seq++) {
                b.clear();
                t.read(b, slot(seq) * BLOCK);
                if (b.getLong(0) != seq || b.getLong(BLOCK - 8) != seq) {
                    return "FAILED: block " + seq + " is not on the new disk";
                }
            }
            ByteBuffer x = ByteBuffer.allocateDirect(1 << 20);
            ByteBuffer y = ByteBuffer.allocateDirect(1 << 20);
            for (long pos = JOURNAL_AREA; pos < size; pos += x.capacity()) {
                x.clear();
                y.clear();
                t.read(x, pos);
                s.read(y, pos);
                if (!x.flip().equals(y.flip())) {
                    return "FAILED: bytes at " + pos + " differ from the source";
                }
            }
        }
        return "ok: all " + guest.count + " guest writes on the new disk, the rest equal to the source";
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static double dd(Path from, Path to, long size) throws Exception {
        CopyBenchmark.dropCaches();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("dd", "if=" + from, "of=" + to, "bs=1M", "count=" + (size >> 20),
                "conv=fdatasync").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("dd failed");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void sparse(Path file, long size) throws Exception {
        Files.deleteIfExists(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }
}
