package org.openstack.jcinder.volume.copy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a file holds data, from the filesystem's extent map ({@code filefrag -e}, FIEMAP underneath; Java 17
 * has no SEEK_DATA). Lets a copy to a destination that reads as zeros skip the holes without reading them.
 * Empty when the map cannot be had (a block device, a filesystem without FIEMAP, no filefrag): then every
 * byte is read.
 */
final class ExtentMap {

    /** A byte range [start, end) that may hold data. */
    record Range(long start, long end) {
    }

    private static final Pattern BLOCK_SIZE = Pattern.compile("blocks? of (\\d+) bytes");
    private static final Pattern EXTENT = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\.\\.\\s*(\\d+):");

    private ExtentMap() {
    }

    static Optional<List<Range>> of(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder("filefrag", "-e", file.toString()).redirectErrorStream(true).start();
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

    /** Whether [start, end) overlaps any range. */
    static boolean overlaps(List<Range> ranges, long start, long end) {
        for (Range r : ranges) {
            if (r.start() < end && start < r.end()) {
                return true;
            }
        }
        return false;
    }
}
