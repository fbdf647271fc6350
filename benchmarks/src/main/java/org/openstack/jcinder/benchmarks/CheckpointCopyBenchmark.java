package org.openstack.jcinder.benchmarks;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.openstack.jcinder.volume.copy.CheckpointedCopy;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.copy.DdCopyEngine;
import org.openstack.jcinder.volume.copy.NativeCopyEngine;

/**
 * What a host migration's checkpoints cost (issue 12, second pass): 2 GiB of random data copied by Cinder's
 * {@code dd} argument vector, by the native engine in one go, by the native engine in checkpointed ranges of
 * 256 MiB as a migration runs it ({@link CheckpointedCopy}: the checksum from the engine's verification), and
 * in the same ranges with each range's checksum read back from the destination afterwards (what the
 * checkpoints did before). Between two files in {@code --dir} (one filesystem: copy_file_range), and, as root,
 * between two loop devices over files there (the engine's own O_DIRECT loop, as for LVM volumes). Page cache
 * dropped before each copy; the tools take turns within each run, so ratios within a run compare like with like.
 *
 * <p>Run: {@code benchmarks/run-checkpoints.sh [--no-build] [--runs 3] [--dir DIR]}.
 */
public final class CheckpointCopyBenchmark {

    private static final long GIB = 1L << 30;
    private static final long RANGE = 256L << 20;
    private static final String[] TOOLS = {"dd (Cinder argv)", "native, one go", "native, checkpointed",
            "native, checkpoints read back"};

    public static void main(String[] args) throws Exception {
        int runs = 3;
        Path dir = Path.of("/var/tmp/jcinder-checkpoint-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(dir);
        Path source = CopyBenchmark.random(dir.resolve("random-2g"), 2 * GIB);
        Path target = dir.resolve("target");
        List<String> lines = new ArrayList<>();
        lines.add(table("files (" + fs(dir) + ")", runs, source, target, source, target));
        if (BlockDeviceCopies.possible()) {
            String from = losetup(source);
            String to = losetup(fresh(target));
            try {
                lines.add(table("loop devices", runs, source, target, Path.of(from), Path.of(to)));
            } finally {
                Commands.run("losetup", "-d", from);
                Commands.run("losetup", "-d", to);
            }
        }
        Files.deleteIfExists(target);
        System.out.println();
        lines.forEach(System.out::println);
        System.out.println("2 GiB of random data, page cache dropped before each copy; ranges of 256 MiB; "
                + "verification on (the default). 'read back': each range's CRC32C read from the destination "
                + "after the range, as before the second pass.");
    }

    private static String table(String what, int runs, Path sourceFile, Path targetFile, Path from, Path to)
            throws Exception {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s%n%-32s", what, "copy"));
        for (int r = 1; r <= runs; r++) {
            out.append(String.format(Locale.ROOT, "  run %d", r));
        }
        out.append('\n');
        double[][] seconds = new double[TOOLS.length][runs];
        for (int r = 0; r < runs; r++) {
            for (int t = 0; t < TOOLS.length; t++) {
                if (from.equals(sourceFile)) {
                    fresh(targetFile);
                }
                CopyBenchmark.dropCaches();
                long t0 = System.nanoTime();
                copy(t, from, to);
                seconds[t][r] = (System.nanoTime() - t0) / 1e9;
                if (Files.mismatch(sourceFile, targetFile) != -1) {
                    throw new IllegalStateException(TOOLS[t] + ": the copy differs from its source");
                }
            }
        }
        for (int t = 0; t < TOOLS.length; t++) {
            out.append(String.format(Locale.ROOT, "%-32s", TOOLS[t]));
            for (double s : seconds[t]) {
                out.append(String.format(Locale.ROOT, " %5.2f s", s));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void copy(int tool, Path from, Path to) throws Exception {
        NativeCopyEngine engine = new NativeCopyEngine(NativeCopyEngine.Settings.defaults());
        boolean file = Files.isRegularFile(from);
        switch (tool) {
            case 0 -> Commands.run(new DdCopyEngine().command(from, to, 2 * GIB, file).toArray(String[]::new));
            case 1 -> engine.copy(from, to, 2 * GIB, file, b -> { });
            case 2 -> new CheckpointedCopy(engine, RANGE).copy(from, to, 2 * GIB, 0, file, b -> { },
                    CopyControl.none(), c -> { });
            default -> {
                for (long at = 0; at < 2 * GIB; at += RANGE) {
                    engine.copyRange(from, to, 2 * GIB, at, at + RANGE, file, b -> { }, CopyControl.none());
                    CheckpointedCopy.crc32c(to, at, at + RANGE);
                    engine.evictFromCache(from, to, at, at + RANGE);
                }
            }
        }
    }

    private static Path fresh(Path file) throws Exception {
        Files.deleteIfExists(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(2 * GIB);
        }
        return file;
    }

    private static String losetup(Path file) throws Exception {
        return Commands.run("losetup", "-f", "--show", file.toString()).strip();
    }

    private static String fs(Path dir) throws Exception {
        return Commands.run("stat", "-f", "-c", "%T", dir.toString()).strip();
    }

}
