package org.openstack.jcinder.benchmarks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.openstack.jcinder.volume.copy.NativeCopyEngine;

/**
 * Copy-engine benchmark: the same source files copied to a fresh sparse destination (a thin volume) by
 * {@code dd} with Cinder's arguments, by {@code qemu-img convert} (if installed) and by the native engine —
 * as files, and (as root) between loop devices over the same files ({@link BlockDeviceCopies}), the way a
 * migration copies between two attached volumes. Three volumes: 2 GiB of random data, 4 GiB with 10 % of its
 * 1 MiB blocks written, 4 GiB never written. Page cache is dropped before every run when the machine allows
 * it. Every copy is checked byte for byte.
 *
 * <p>Run: {@code benchmarks/run-copy.sh [--dir DIR] [--repeat N] [--only files|block]}. Prints a table.
 */
public final class CopyBenchmark {

    private static final long MIB = 1 << 20;
    private static final long GIB = 1L << 30;

    record Case(String name, Path file, long bytes) {
    }

    record Result(String caseName, String tool, double seconds, long allocated, String peakMemory) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("/var/tmp/jcinder-copy-bench");
        int repeat = 1;
        String only = "all";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dir")) {
                dir = Path.of(args[++i]);
            } else if (args[i].equals("--repeat")) {
                repeat = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--only")) {
                only = args[++i];
            }
        }
        Files.createDirectories(dir);
        List<Case> cases = List.of(
                new Case("2 GiB random", random(dir.resolve("random-2g"), 2 * GIB), 2 * GIB),
                new Case("4 GiB, 10 % written", tenPercent(dir.resolve("tenpct-4g"), 4 * GIB), 4 * GIB),
                new Case("4 GiB never written", empty(dir.resolve("empty-4g"), 4 * GIB), 4 * GIB));
        boolean qemu = onPath("qemu-img");
        boolean cacheDrop = dropCaches();
        List<Result> results = new ArrayList<>();
        boolean block = !only.equals("files") && BlockDeviceCopies.possible();
        for (int r = 0; r < repeat; r++) {
            if (block) {
                results.addAll(BlockDeviceCopies.run(cases, dir, qemu));
            }
            if (only.equals("block")) {
                continue;
            }
            for (Case c : cases) {
                Path dst = dir.resolve("dst");
                results.add(external(c, "dd (Cinder, conv=sparse)", dst, argv(c, dst, true)));
                results.add(external(c, "dd (Cinder, no conv=sparse)", dst, argv(c, dst, false)));
                if (qemu) {
                    results.add(external(c, "qemu-img convert -W", dst, List.of("qemu-img", "convert", "-t",
                            "none", "-T", "none", "-W", "-O", "raw", c.file().toString(), dst.toString())));
                }
                results.add(nativeRun(c, dst, true, true));
                results.add(nativeRun(c, dst, true, false));
                results.add(nativeRun(c, dst, false, true));
                Files.deleteIfExists(dst);
            }
        }
        print(results, cacheDrop, qemu, repeat);
        if (!block && !only.equals("files")) {
            System.out.println("Block devices: skipped (needs root, losetup and /usr/bin/time).");
        }
    }

    private static List<String> argv(Case c, Path dst, boolean sparse) {
        List<String> a = new ArrayList<>(List.of("dd", "if=" + c.file(), "of=" + dst, "count=" + c.bytes(), "bs=1M",
                "iflag=count_bytes"));
        if (sparse) {
            a.add("conv=sparse");
        }
        return a;
    }

    private static Result external(Case c, String tool, Path dst, List<String> argv) throws Exception {
        freshDestination(dst, c.bytes());
        dropCaches();
        List<String> timed = new ArrayList<>();
        boolean gnuTime = Files.isExecutable(Path.of("/usr/bin/time"));
        if (gnuTime) {
            timed.addAll(List.of("/usr/bin/time", "-f", "MAXRSS=%M"));
        }
        timed.addAll(argv);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(timed).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int exit = p.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
        verify(c, dst);
        String rss = out.contains("MAXRSS=") ? (Long.parseLong(out.substring(out.indexOf("MAXRSS=") + 7).strip()
                .split("\\s")[0]) / 1024) + " MiB" : "n/a";
        return new Result(c.name(), tool, seconds, allocated(dst), rss);
    }

    private static Result nativeRun(Case c, Path dst, boolean verify, boolean directIo) throws Exception {
        freshDestination(dst, c.bytes());
        dropCaches();
        NativeCopyEngine engine = new NativeCopyEngine(new NativeCopyEngine.Settings(4 << 20, 4, verify, 0, directIo));
        long start = System.nanoTime();
        engine.copy(c.file(), dst, c.bytes(), true, b -> { });
        double seconds = (System.nanoTime() - start) / 1e9;
        verify(c, dst);
        // 4 streams × (read buffer + verify buffer) × 4 MiB of direct memory, whatever the volume size.
        String memory = (4 * (verify ? 2 : 1) * 4) + " MiB buffers";
        return new Result(c.name(), (verify ? "native (4 streams, verify" : "native (4 streams, no verify")
                + ", O_DIRECT " + engine.lastDirectIo() + ")", seconds,
                allocated(dst), memory);
    }

    private static void print(List<Result> results, boolean cacheDrop, boolean qemu, int repeat) {
        System.out.printf(Locale.ROOT, "%nCopy engines, %d run(s) each; page cache dropped before each run: %s; "
                + "qemu-img: %s%n", repeat, cacheDrop ? "yes" : "NO (not permitted here)", qemu ? "yes" : "not installed");
        System.out.printf(Locale.ROOT, "%-30s %-75s %8s %9s %8s %10s  %s%n", "volume", "tool", "seconds", "MB/s",
                "vs dd", "allocated", "peak memory");
        for (Result r : results) {
            // The baseline is the first dd row of the volume: Cinder's dd as it runs for that destination.
            double ddSeconds = results.stream().filter(x -> x.caseName().equals(r.caseName())
                    && x.tool().startsWith("dd (Cinder")).mapToDouble(Result::seconds).findFirst().orElse(0);
            long bytes = r.caseName().startsWith("2") ? 2 * GIB : 4 * GIB;
            System.out.printf(Locale.ROOT, "%-30s %-75s %8.2f %9.0f %7.2fx %6d MiB  %s%n", r.caseName(), r.tool(),
                    r.seconds(), bytes / 1e6 / r.seconds(), ddSeconds / r.seconds(), r.allocated() / MIB,
                    r.peakMemory());
        }
        System.out.println("\nMB/s is the volume's logical size over wall time. 'vs dd' > 1 means faster than the "
                + "volume's first dd row.\nEvery destination was compared byte for byte with its source after the copy.");
    }

    private static void freshDestination(Path dst, long bytes) throws IOException {
        Files.deleteIfExists(dst);
        try (RandomAccessFile f = new RandomAccessFile(dst.toFile(), "rw")) {
            f.setLength(bytes);
        }
    }

    static void verify(Case c, Path dst) throws IOException {
        if (Files.mismatch(c.file(), dst) != -1) {
            throw new IllegalStateException("copy of " + c.name() + " differs from its source");
        }
    }

    static long allocated(Path p) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", p.toString()).start();
        return Long.parseLong(new String(stat.getInputStream().readAllBytes()).strip()) * 512;
    }

    static boolean dropCaches() {
        try {
            new ProcessBuilder("sync").start().waitFor();
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean onPath(String binary) {
        for (String d : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(d, binary))) {
                return true;
            }
        }
        return false;
    }

    static Path random(Path file, long bytes) throws IOException {
        if (Files.exists(file) && Files.size(file) == bytes) {
            return file;
        }
        SplittableRandom rnd = new SplittableRandom(1);
        ByteBuffer buf = ByteBuffer.allocateDirect((int) (4 * MIB));
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long pos = 0; pos < bytes; pos += buf.capacity()) {
                buf.clear();
                while (buf.remaining() >= 8) {
                    buf.putLong(rnd.nextLong());
                }
                buf.flip();
                out.write(buf, pos);
            }
        }
        return file;
    }

    static Path tenPercent(Path file, long bytes) throws IOException {
        if (Files.exists(file) && Files.size(file) == bytes) {
            return file;
        }
        SplittableRandom rnd = new SplittableRandom(2);
        ByteBuffer buf = ByteBuffer.allocateDirect((int) MIB);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long block = 0; block < bytes / MIB; block++) {
                if (rnd.nextInt(10) != 0) {
                    continue;
                }
                buf.clear();
                while (buf.remaining() >= 8) {
                    buf.putLong(rnd.nextLong());
                }
                buf.flip();
                out.write(buf, block * MIB);
            }
            out.write(ByteBuffer.allocate(1), bytes - 1);
        }
        return file;
    }

    static Path empty(Path file, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return file;
    }
}
