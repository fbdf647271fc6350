package org.openstack.jcinder.benchmarks;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openstack.jcinder.benchmarks.CopyBenchmark.Case;
import org.openstack.jcinder.benchmarks.CopyBenchmark.Result;
import org.openstack.jcinder.volume.copy.DdCopyEngine;

/**
 * The block-device half of the copy benchmark: each source file attached as a loop device, copied to a loop
 * device over a fresh sparse file, as a generic migration between two attached volumes does. Tools: dd with
 * the arguments this project's dd engine builds after its O_DIRECT probes (Cinder's copy_volume), qemu-img
 * convert with direct I/O, and the native engine in a JVM of its own limited to 256 MiB of heap. Every tool
 * runs under {@code /usr/bin/time -v} for its max RSS. Only the loop devices this class attached are
 * detached.
 */
final class BlockDeviceCopies {

    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    private static final Pattern CHILD = Pattern.compile(
            "SECONDS=([\\d.]+) HEAP_PEAK=(\\d+) DIRECT_PEAK=(\\d+) DIRECT_IO=(\\S+)");
    private static final long MIB = 1 << 20;

    private BlockDeviceCopies() {
    }

    static boolean possible() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/losetup"))
                && Files.isExecutable(Path.of("/usr/bin/time"));
    }

    static List<Result> run(List<Case> cases, Path dir, boolean qemu) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Case c : cases) {
            String src = attach(c.file(), true);
            try {
                Path dstFile = dir.resolve("dst-blk");
                String name = c.name() + " (loop)";
                results.add(dd(c, name, src, dstFile, false));
                results.add(dd(c, name, src, dstFile, true));
                if (qemu) {
                    results.add(external(c, name, "qemu-img convert -t none -T none -W", dstFile, dst -> List.of(
                            "qemu-img", "convert", "-p", "-t", "none", "-T", "none", "-W", "-n", "-O", "raw", src,
                            dst)));
                }
                results.add(nativeChild(c, name, src, dstFile, true, true, true));
                results.add(nativeChild(c, name, src, dstFile, true, true, false));
                results.add(nativeChild(c, name, src, dstFile, false, true, true));
                Files.deleteIfExists(dstFile);
            } finally {
                detach(src);
            }
        }
        return results;
    }

    private static Result dd(Case c, String name, String src, Path dstFile, boolean sparse) throws Exception {
        String[] flags = new String[1];
        Result r = external(c, name, sparse ? "dd (Cinder argv, conv=sparse)" : "dd (Cinder argv, thick dest)",
                dstFile, dst -> {
                    List<String> argv = new DdCopyEngine().command(Path.of(src), Path.of(dst), c.bytes(), sparse);
                    flags[0] = argv.stream().filter(a -> a.contains("flag=") || a.startsWith("conv="))
                            .reduce((a, b) -> a + " " + b).orElse("");
                    return argv;
                });
        return new Result(r.caseName(), r.tool() + " [" + flags[0] + "]", r.seconds(), r.allocated(), r.peakMemory());
    }

    interface Command {
        List<String> argv(String destinationDevice) throws Exception;
    }

    private static Result external(Case c, String name, String tool, Path dstFile, Command command) throws Exception {
        fresh(dstFile, c.bytes());
        String dst = attach(dstFile, false);
        double seconds;
        String out;
        try {
            List<String> argv = new ArrayList<>(List.of("/usr/bin/time", "-v"));
            argv.addAll(command.argv(dst));
            CopyBenchmark.dropCaches();
            long start = System.nanoTime();
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes());
            int exit = p.waitFor();
            seconds = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + tail(out));
            }
        } finally {
            detach(dst);
        }
        CopyBenchmark.verify(c, dstFile);
        return new Result(name, tool, seconds, CopyBenchmark.allocated(dstFile), maxRss(out));
    }

    private static Result nativeChild(Case c, String name, String src, Path dstFile, boolean sparse, boolean verify,
                                      boolean directIo) throws Exception {
        fresh(dstFile, c.bytes());
        String dst = attach(dstFile, false);
        String java = ProcessHandle.current().info().command().orElse("java");
        String out;
        try {
            List<String> argv = List.of("/usr/bin/time", "-v", java, "-Xmx256m", "-cp",
                    System.getProperty("java.class.path"), NativeCopyChild.class.getName(), src, dst,
                    Long.toString(c.bytes()), Boolean.toString(sparse), Boolean.toString(verify),
                    Boolean.toString(directIo));
            CopyBenchmark.dropCaches();
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("native copy failed: " + tail(out));
            }
        } finally {
            detach(dst);
        }
        CopyBenchmark.verify(c, dstFile);
        Matcher m = CHILD.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("native copy printed no figures: " + tail(out));
        }
        String memory = maxRss(out) + ", heap peak " + Long.parseLong(m.group(2)) / MIB + " MiB, direct "
                + Long.parseLong(m.group(3)) / MIB + " MiB";
        // The child's own copy time: the JVM's start (~0.3 s) is not the engine's.
        return new Result(name, "native (4 streams, " + (verify ? "verify" : "no verify") + ", "
                + (sparse ? "zero-skip" : "thick dest") + ", O_DIRECT " + m.group(4) + ")",
                Double.parseDouble(m.group(1)), CopyBenchmark.allocated(dstFile), memory);
    }

    private static String maxRss(String timeOutput) {
        Matcher m = MAX_RSS.matcher(timeOutput);
        return m.find() ? "RSS " + Long.parseLong(m.group(1)) / 1024 + " MiB" : "n/a";
    }

    private static void fresh(Path file, long bytes) throws Exception {
        Files.deleteIfExists(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
    }

    private static String attach(Path file, boolean readOnly) throws Exception {
        List<String> argv = new ArrayList<>(List.of("losetup", "--find", "--show"));
        if (readOnly) {
            argv.add("--read-only");
        }
        argv.add(file.toString());
        return sh(argv).strip();
    }

    private static void detach(String device) throws Exception {
        sh(List.of("losetup", "-d", device));
    }

    private static String sh(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + out);
        }
        return out;
    }

    private static String tail(String s) {
        return s.length() > 800 ? s.substring(s.length() - 800) : s;
    }
}
