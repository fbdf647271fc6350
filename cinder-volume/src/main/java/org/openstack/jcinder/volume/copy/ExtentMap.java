package org.openstack.jcinder.volume.copy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a file holds data, from the filesystem itself: {@code lseek(SEEK_DATA/SEEK_HOLE)} through
 * {@link LibC} (no process spawned; the filesystem answers for data still in the page cache too), or
 * {@code filefrag -e} (FIEMAP) where glibc cannot be loaded. Lets a copy to a destination that reads as zeros skip the holes without reading them.
 * A loop device is mapped through its backing file (following loops over loops, with their offsets and size
 * limits, as this project's loop activation stacks an LV's loop on the PV's): its holes read as zeros too.
 * Empty when no map can be had (a disk or device-mapper volume, a filesystem without FIEMAP, no filefrag):
 * then every byte is read.
 */
final class ExtentMap {

    /** A byte range [start, end) that may hold data. */
    record Range(long start, long end) {
    }

    private static final Pattern BLOCK_SIZE = Pattern.compile("blocks? of (\\d+) bytes");
    private static final Pattern EXTENT = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\.\\.\\s*(\\d+):");
    private static final Pattern LOOP = Pattern.compile("loop\\d+");
    private static final int MAX_LOOP_DEPTH = 4;

    private ExtentMap() {
    }

    static Optional<List<Range>> of(Path path) {
        if (Files.isRegularFile(path)) {
            return ofFile(path, false);
        }
        return ofLoopDevice(path, 0);
    }

    private static Optional<List<Range>> ofFile(Path file, boolean syncFirst) {
        if (LibC.available()) {
            return seekData(file);
        }
        return filefrag(file, syncFirst);
    }

    /**
     * The data ranges by {@code SEEK_DATA}/{@code SEEK_HOLE}: one pair of system calls per extent. A
     * filesystem without hole support answers with one range, the whole file (correct, only not sparse).
     */
    static Optional<List<Range>> seekData(Path file) {
        LibC.Calls c = LibC.get().orElseThrow();
        try (LibC.Fd fd = LibC.Fd.open(c, file.toString(), LibC.O_RDONLY)) {
            long size = Files.size(file);
            List<Range> ranges = new ArrayList<>();
            long pos = 0;
            while (pos < size) {
                long data;
                try {
                    data = c.lseek(fd.fd, pos, LibC.SEEK_DATA);
                } catch (com.sun.jna.LastErrorException e) {
                    if (e.getErrorCode() == LibC.ENXIO) {
                        break; // no data after pos
                    }
                    throw e;
                }
                long hole = c.lseek(fd.fd, data, LibC.SEEK_HOLE);
                ranges.add(new Range(data, Math.min(hole, size)));
                pos = hole;
            }
            return Optional.of(List.copyOf(ranges));
        } catch (com.sun.jna.LastErrorException | IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<List<Range>> filefrag(Path file, boolean syncFirst) {
        try {
            // -s: data written through a loop device may still sit in the page cache; map it after a sync.
            List<String> argv = syncFirst ? List.of("filefrag", "-s", "-e", file.toString())
                    : List.of("filefrag", "-e", file.toString());
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            return parse(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<List<Range>> ofLoopDevice(Path device, int depth) {
        try {
            Path real = device.toRealPath();
            String name = real.getFileName() == null ? "" : real.getFileName().toString();
            Path sys = Path.of("/sys/block", name, "loop");
            if (depth >= MAX_LOOP_DEPTH || !real.startsWith("/dev") || !LOOP.matcher(name).matches()
                    || !Files.isDirectory(sys)) {
                return Optional.empty();
            }
            String backing = Files.readString(sys.resolve("backing_file")).strip();
            if (backing.endsWith("(deleted)")) {
                return Optional.empty();
            }
            long offset = Long.parseLong(Files.readString(sys.resolve("offset")).strip());
            long sizeLimit = Long.parseLong(Files.readString(sys.resolve("sizelimit")).strip());
            // What was written through the device reaches the backing file before it is mapped.
            try (FileChannel ch = FileChannel.open(real, StandardOpenOption.READ)) {
                ch.force(true);
            }
            Path file = Path.of(backing);
            Optional<List<Range>> under = Files.isRegularFile(file) ? ofFile(file, true)
                    : ofLoopDevice(file, depth + 1);
            return under.map(ranges -> window(ranges, offset, sizeLimit));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The ranges inside [offset, offset + limit) (limit 0: to the end), relative to offset. */
    static List<Range> window(List<Range> ranges, long offset, long limit) {
        long end = limit > 0 ? offset + limit : Long.MAX_VALUE;
        List<Range> out = new ArrayList<>();
        for (Range r : ranges) {
            long s = Math.max(r.start(), offset);
            long e = Math.min(r.end(), end);
            if (s < e) {
                out.add(new Range(s - offset, e - offset));
            }
        }
        return List.copyOf(out);
    }

    static Optional<List<Range>> parse(String filefragOutput) {
        Matcher bs = BLOCK_SIZE.matcher(filefragOutput);
        if (!bs.find()) {
            return Optional.empty();
        }
        long blockSize = Long.parseLong(bs.group(1));
        List<Range> ranges = new ArrayList<>();
        for (String line : filefragOutput.split("\n")) {
            Matcher m = EXTENT.matcher(line);
            if (m.find()) {
                long first = Long.parseLong(m.group(1));
                long last = Long.parseLong(m.group(2));
                ranges.add(new Range(first * blockSize, (last + 1) * blockSize));
            }
        }
        return Optional.of(List.copyOf(ranges));
    }

    /** Whether [start, end) overlaps any range (the ranges sorted, as both sources give them). */
    static boolean overlaps(List<Range> ranges, long start, long end) {
        int lo = 0;
        int hi = ranges.size();
        // The first range that ends after start.
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ranges.get(mid).end() <= start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < ranges.size() && ranges.get(lo).start() < end;
    }
}
