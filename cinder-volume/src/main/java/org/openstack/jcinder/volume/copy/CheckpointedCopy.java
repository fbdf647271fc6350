package org.openstack.jcinder.volume.copy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

import org.openstack.jcinder.common.exception.VolumeDriverException;

/**
 * A copy in ranges of a fixed size of data (the holes a sparse copy skips do not count), each flushed by the
 * engine and then checksummed on the destination, so a crash loses at most one range: the caller records each
 * {@link Checkpoint} durably, and a later copy of the same volumes starts after the last range the destination
 * still matches ({@link #verifiedPrefix}).
 *
 * <p>The checksum is taken from the destination after the engine's flush (from the engine's own read-back, or
 * the pages the copy left cached, so the disk is not read a second time): it records what the destination holds
 * once flushed, not what was meant to be written, and a resume reads the ranges back from the disk against it.
 * The source is not re-read on resume: a migrating volume is detached and refused every write by the API
 * (status checks on attach, extend, upload…), which is what the trust in the copied ranges rests on.
 */
public final class CheckpointedCopy {

    /** One range copied and flushed, with the CRC32C of the destination's bytes in it. */
    public record Checkpoint(long start, long end, long crc32c) {
    }

    /** Receives each checkpoint once its range is on the destination. */
    @FunctionalInterface
    public interface Sink {
        void reached(Checkpoint checkpoint);
    }

    private static final int READ_BUFFER = 1 << 20;

    private final CopyEngine engine;
    private final long rangeBytes;

    public CheckpointedCopy(CopyEngine engine, long rangeBytes) {
        if (rangeBytes <= 0) {
            throw new IllegalArgumentException("range of " + rangeBytes + " bytes");
        }
        this.engine = engine;
        this.rangeBytes = rangeBytes;
    }

    /** Whether the engine can copy in ranges; else {@link #copy} copies the whole volume in one go. */
    public boolean checkpoints() {
        return engine.copiesRanges();
    }

    /**
     * Copies {@code [from, bytes)} range by range, handing each finished range to {@code sink}; progress
     * includes {@code [0, from)}.
     */
    public void copy(Path source, Path destination, long bytes, long from, boolean sparse,
                     CopyEngine.Progress progress, CopyControl control, Sink sink) {
        if (!engine.copiesRanges()) {
            engine.copy(source, destination, bytes, sparse, progress, control);
            return;
        }
        // A range holds rangeBytes of the source's data: the holes a sparse copy skips cost no flush and no
        // checksum of their own, so a mostly empty volume is a few ranges, not one per rangeBytes of it.
        List<ExtentMap.Range> data = sparse ? ExtentMap.of(source).orElse(null) : null;
        long at = from;
        while (at < bytes) {
            control.throwIfCancelled();
            long end = data == null ? Math.min(bytes, at + rangeBytes) : rangeEnd(data, at, bytes);
            CopyEngine.RangeCopy copied = engine.copyRangeChecksummed(source, destination, bytes, at, end, sparse,
                    progress, control);
            long reached = copied.end();
            if (copied.cloned()) {
                // A reflink took the whole volume at once; after a crash it is made again in no time, so no
                // checkpoint (its checksum would read every block of the volume).
                at = reached;
                continue;
            }
            // The engine's own read-back when it has one; else the pages the copy left cached: the checksum
            // reads memory, not the disk a second time.
            long crc = copied.destinationCrc32c() != CopyEngine.RangeCopy.UNKNOWN ? copied.destinationCrc32c()
                    : crc32c(destination, at, reached);
            engine.evictFromCache(source, destination, at, reached);
            sink.reached(new Checkpoint(at, reached, crc));
            at = reached;
        }
    }

    /**
     * Where the range starting at {@code at} has {@code rangeBytes} of data; the volume's end if it has less,
     * or if no data follows.
     */
    private long rangeEnd(List<ExtentMap.Range> data, long at, long bytes) {
        long wanted = rangeBytes;
        for (ExtentMap.Range r : data) {
            long start = Math.max(r.start(), at);
            long end = Math.min(r.end(), bytes);
            if (start >= end) {
                continue;
            }
            if (end - start >= wanted) {
                long rangeEnd = start + wanted;
                // Holes after the last data go with it, not into a range of their own.
                return rangeEnd == end && data.stream().noneMatch(d -> d.end() > rangeEnd && d.start() < bytes)
                        ? bytes : rangeEnd;
            }
            wanted -= end - start;
        }
        return bytes;
    }

    /**
     * The end of the longest run of checkpoints, from byte 0 and without gaps, whose ranges the destination
     * still holds with the recorded checksum: where a resumed copy may start. 0 when the first does not match.
     */
    public static long verifiedPrefix(Path destination, List<Checkpoint> checkpoints) {
        long at = 0;
        for (Checkpoint c : checkpoints) {
            if (c.start() != at || crc32c(destination, c.start(), c.end()) != c.crc32c()) {
                break;
            }
            at = c.end();
        }
        return at;
    }

    /**
     * CRC32C of {@code [from, to)} of a file or block device (bytes past its end read as zeros). Only the data
     * is read: where the file (or a loop device's backing file) has a hole, its zeros enter the checksum by
     * their length alone ({@link Crc32cAlgebra}), so a sparse volume costs what it holds, not what it is.
     */
    public static long crc32c(Path file, long from, long to) {
        List<ExtentMap.Range> data = ExtentMap.of(file).orElse(List.of(new ExtentMap.Range(from, to)));
        long crc = 0; // of nothing
        long pos = from;
        ByteBuffer buf = null;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            for (ExtentMap.Range r : data) {
                long start = Math.max(r.start(), pos);
                long end = Math.min(r.end(), to);
                if (start >= end) {
                    continue;
                }
                crc = Crc32cAlgebra.appendZeros(crc, start - pos);
                if (buf == null) {
                    buf = ByteBuffer.allocateDirect(READ_BUFFER);
                }
                crc = Crc32cAlgebra.combine(crc, read(in, buf, start, end), end - start);
                pos = end;
            }
        } catch (IOException e) {
            throw new VolumeDriverException("checksum of " + file + " [" + from + ", " + to + ") failed: "
                    + e.getMessage(), e);
        }
        return Crc32cAlgebra.appendZeros(crc, to - pos);
    }

    /** CRC32C of the bytes of {@code [from, to)} as read (zeros past the end). */
    private static long read(FileChannel in, ByteBuffer buf, long from, long to) throws IOException {
        CRC32C crc = new CRC32C();
        long pos = from;
        while (pos < to) {
            buf.clear().limit((int) Math.min(READ_BUFFER, to - pos));
            int n = in.read(buf, pos);
            if (n < 0) {
                // A sparse file's logical end before the volume's: the rest reads as zeros.
                return Crc32cAlgebra.appendZeros(crc.getValue(), to - pos);
            }
            buf.flip();
            crc.update(buf);
            pos += n;
        }
        return crc.getValue();
    }
}
