package org.openstack.jcinder.volume.copy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.shared.io.Pacer;
import org.slf4j.MDC;

/**
 * A copy engine in Java that does what {@code dd} cannot: several ranges in flight at once; when the
 * destination is known to read as zeros, the source's holes are not even read (its extent map) and all-zero
 * pieces are not written (it stays sparse); an optional read-back
 * verification of every block written (CRC32C, hardware-accelerated), a bandwidth limit that can change
 * while it runs, cancellation between chunks, O_DIRECT where the files allow it (see {@link DirectChannels};
 * the read-back then reads the device, not the page cache), and progress.
 * A failure deletes nothing but stops at once; the caller discards the destination.
 */
public final class NativeCopyEngine implements CopyEngine {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NativeCopyEngine.class);

    /**
     * Where O_DIRECT is tried ({@code volume_copy_direct_io}). Measured in {@code docs/benchmarks.md}: between
     * block devices it is several times faster than buffered I/O and leaves the page cache alone; between files
     * on ext4 it was 2.6x slower on random data, the page cache being the faster path there. So by default
     * (auto) only block devices get it.
     */
    public enum DirectIo {
        ALWAYS, NEVER, BLOCK_DEVICES;

        public boolean wanted(java.nio.file.Path path) {
            return switch (this) {
                case ALWAYS -> true;
                case NEVER -> false;
                case BLOCK_DEVICES -> isBlockDevice(path);
            };
        }

        private static boolean isBlockDevice(java.nio.file.Path path) {
            try {
                Object mode = java.nio.file.Files.getAttribute(path, "unix:mode");
                return mode instanceof Integer m && (m & 0170000) == 0060000;
            } catch (java.io.IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return false;
            }
        }

        public static DirectIo of(boolean on) {
            return on ? ALWAYS : NEVER;
        }
    }

    /**
     * Tuning of one engine; a backend's cinder.conf section sets it. {@code offload}: between two files on one
     * filesystem, try the kernel's paths first (a reflink, else copy_file_range; {@link KernelCopy}).
     */
    public record Settings(int blockBytes, int streams, boolean verify, long bytesPerSecondLimit, DirectIo directIo,
                           boolean offload) {
        public Settings(int blockBytes, int streams, boolean verify, long bytesPerSecondLimit, DirectIo directIo) {
            this(blockBytes, streams, verify, bytesPerSecondLimit, directIo, true);
        }

        public Settings(int blockBytes, int streams, boolean verify, long bytesPerSecondLimit) {
            this(blockBytes, streams, verify, bytesPerSecondLimit, DirectIo.BLOCK_DEVICES);
        }

        public Settings(int blockBytes, int streams, boolean verify, long bytesPerSecondLimit, boolean directIo) {
            this(blockBytes, streams, verify, bytesPerSecondLimit, DirectIo.of(directIo));
        }

        public static Settings defaults() {
            return new Settings(4 << 20, 4, true, 0, DirectIo.BLOCK_DEVICES, true);
        }
    }

    /** The granularity of zero detection: what stays a hole in the destination. */
    private static final int ZERO_GRAIN = 64 << 10;

    private final Settings settings;
    /** Whether the last copy's source/destination used O_DIRECT ("true/false"): for tests and the benchmark. */
    private volatile String lastDirectIo;
    /** The path the last copy took. */
    private volatile KernelCopy.Route lastRoute;

    public NativeCopyEngine(Settings settings) {
        this.settings = settings;
    }

    @Override
    public boolean followsLiveBandwidthLimit() {
        return true;
    }

    @Override
    public void copy(Path source, Path destination, long bytes, boolean sparse, Progress progress,
                     CopyControl control) {
        copyRange(source, destination, bytes, 0, bytes, sparse, progress, control);
        evictFromCache(source, destination, 0, bytes);
    }

    @Override
    public void evictFromCache(Path source, Path destination, long from, long to) {
        PageCache.evict(from, to, source, destination);
    }

    @Override
    public boolean copiesRanges() {
        return true;
    }

    /**
     * Copies {@code [from, to)} of a volume of {@code bytes} bytes (a resumed copy skips what its checkpoints
     * proved copied); progress includes the skipped {@code [0, from)}. Answers the end of what is now copied:
     * {@code to}, or {@code bytes} when a reflink took the whole volume at once.
     */
    @Override
    public long copyRange(Path source, Path destination, long bytes, long from, long to, boolean sparse,
                          Progress progress, CopyControl control) {
        return copyRangeChecksummed(source, destination, bytes, from, to, sparse, progress, control).end();
    }

    /**
     * As {@link #copyRange}; with verification on, returns the destination's checksum of the range, built from
     * the CRC32C of every piece the verification read (the engine's own loop: its read-back; copy_file_range:
     * the destination's mapped pages it compared), holes counted by their length; a clone returns
     * {@link RangeCopy#UNKNOWN}.
     */
    @Override
    public RangeCopy copyRangeChecksummed(Path source, Path destination, long bytes, long from, long to,
                                          boolean sparse, Progress progress, CopyControl control) {
        if (from < 0 || from > to || to > bytes) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") of " + bytes + " bytes");
        }
        AtomicLong copied = new AtomicLong(from);
        // One pacer for all streams: the migration's own limit when set, else the backend's.
        Pacer limiter = new Pacer(() -> control.bpsLimit() >= 0 ? control.bpsLimit()
                : settings.bytesPerSecondLimit(), control::applied, control::throwIfCancelled);
        int streams = Math.max(1, settings.streams());
        control.throwIfCancelled();
        if (settings.offload()) {
            Optional<KernelCopy.Copied> kernel = KernelCopy.copy(source, destination, bytes, from, to, sparse,
                    settings.verify(), streams, settings.blockBytes(), progress, control, limiter);
            if (kernel.isPresent()) {
                lastRoute = kernel.get().route();
                boolean cloned = lastRoute == KernelCopy.Route.CLONE;
                return new RangeCopy(cloned ? bytes : to, kernel.get().destinationCrc32c(), cloned);
            }
        }
        lastRoute = KernelCopy.Route.USER_SPACE;
        long block = settings.blockBytes();
        // To a destination that reads as zeros, only the blocks where the source has data need copying.
        List<long[]> todo = new ArrayList<>();
        Optional<List<ExtentMap.Range>> extents = sparse ? ExtentMap.of(source) : Optional.empty();
        long skipped = 0;
        for (long start = from; start < to; start = Math.min(to, (start / block + 1) * block)) {
            long end = Math.min((start / block + 1) * block, to);
            if (extents.isPresent() && !ExtentMap.overlaps(extents.get(), start, end)) {
                skipped += end - start;
            } else {
                todo.add(new long[] {start, end - start});
            }
        }
        copied.addAndGet(skipped);
        // The destination's CRC32C of each block, as read back (verification on): the range's checksum.
        long[] blockCrcs = settings.verify() ? new long[todo.size()] : null;
        // The workers log and report progress on behalf of the request: give them its logging context.
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        ExecutorService pool = Executors.newFixedThreadPool(streams, r -> {
            Thread t = new Thread(r, "copy-" + destination.getFileName());
            t.setDaemon(true);
            return t;
        });
        // Every read and write is a whole block, a 64 KiB zero grain, or the (aligned) tail of the volume.
        long unit = gcd(gcd(gcd(gcd(block, ZERO_GRAIN), bytes), from), to);
        try (DirectChannels.Opened src = DirectChannels.open(source, settings.directIo().wanted(source), unit, StandardOpenOption.READ);
             DirectChannels.Opened dst = DirectChannels.open(destination, settings.directIo().wanted(destination), unit,
                     StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            FileChannel in = src.channel();
            FileChannel out = dst.channel();
            int alignment = Math.max(src.alignment(), dst.alignment());
            long sourceEnd = java.nio.file.Files.isRegularFile(source) ? in.size() : 0;
            LOG.debug("copy {} -> {}: O_DIRECT source={} destination={}", source, destination, src.direct(),
                    dst.direct());
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < streams; w++) {
                int worker = w;
                // Interleaved blocks: every stream walks the whole volume, so progress is even across it.
                workers.add(pool.submit(() -> {
                    if (mdc != null) {
                        MDC.setContextMap(mdc);
                    }
                    ByteBuffer buf = DirectChannels.buffer((int) block, alignment);
                    ByteBuffer check = settings.verify() ? DirectChannels.buffer((int) block, alignment) : null;
                    for (int i = worker; i < todo.size(); i += streams) {
                        control.throwIfCancelled();
                        long pos = todo.get(i)[0];
                        int len = (int) todo.get(i)[1];
                        long crc = copyBlock(in, sourceEnd, out, buf, check, pos, len, sparse);
                        if (blockCrcs != null) {
                            blockCrcs[i] = crc;
                        }
                        limiter.acquire(len);
                        long total = copied.addAndGet(len);
                        synchronized (progress) {
                            progress.copied(total);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
            if (out.size() < bytes && java.nio.file.Files.isRegularFile(destination)) {
                // The tail was all zeros and skipped: the logical size must still match (as a hole).
                try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(destination.toFile(), "rw")) {
                    f.setLength(bytes);
                }
            }
            out.force(true);
            lastDirectIo = src.direct() + "/" + dst.direct();
            return new RangeCopy(to, blockCrcs == null ? RangeCopy.UNKNOWN
                    : Crc32cAlgebra.ofPieces(todo, blockCrcs, from, to));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof CinderException known ? known
                    : new VolumeDriverException("copy " + source + " -> " + destination + " failed: "
                    + cause.getMessage(), cause);
        } catch (IOException e) {
            throw new VolumeDriverException("copy " + source + " -> " + destination + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException("copy interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Whether every copy is verified ({@code volume_copy_verify}). */
    public boolean verifies() {
        return settings.verify();
    }

    public Settings settings() {
        return settings;
    }

    public String lastDirectIo() {
        return lastDirectIo;
    }

    /** The path the last copy took: {@code CLONE}, {@code COPY_FILE_RANGE} or {@code USER_SPACE}. */
    public String lastRoute() {
        return lastRoute == null ? null : lastRoute.name();
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Copies one block; answers the CRC32C of the destination's block as read back (zero pieces a sparse
     * copy left unwritten counted as zeros), or -1 without verification.
     */
    private long copyBlock(FileChannel in, long sourceEnd, FileChannel out, ByteBuffer buf, ByteBuffer check, long pos,
                           int len, boolean sparse) throws IOException {
        buf.clear().limit(len);
        while (buf.hasRemaining()) {
            long at = pos + buf.position();
            // Past the end of the source the rest reads as zeros. The size check comes first because a direct
            // read at the unaligned offset a short read leaves behind would be refused.
            if ((sourceEnd > 0 && at >= sourceEnd) || in.read(buf, at) < 0) {
                while (buf.hasRemaining()) {
                    buf.put((byte) 0);
                }
            }
        }
        buf.flip();
        if (!sparse) {
            return writeAndVerify(out, buf, check, pos, 0, len);
        }
        // Only runs of non-zero 64 KiB pieces are written, so the destination stays as sparse as the data.
        long crc = 0;
        int done = 0; // the block's checksum covers [0, done)
        int runStart = -1;
        for (int off = 0; off < len; off += ZERO_GRAIN) {
            boolean zero = allZero(buf, off, Math.min(off + ZERO_GRAIN, len));
            if (!zero && runStart < 0) {
                runStart = off;
            } else if (zero && runStart >= 0) {
                crc = withRun(crc, done, writeAndVerify(out, buf, check, pos, runStart, off), runStart, off);
                done = off;
                runStart = -1;
            }
        }
        if (runStart >= 0) {
            crc = withRun(crc, done, writeAndVerify(out, buf, check, pos, runStart, len), runStart, len);
            done = len;
        }
        return check == null ? -1 : Crc32cAlgebra.appendZeros(crc, len - done);
    }

    /** The checksum of {@code [0, done)} extended by zeros up to {@code start}, then by the run's bytes. */
    private static long withRun(long crc, int done, long runCrc, int start, int end) {
        return runCrc < 0 ? -1
                : Crc32cAlgebra.combine(Crc32cAlgebra.appendZeros(crc, start - done), runCrc, end - start);
    }

    /** Writes {@code [from, to)} of the block; answers the CRC32C of what was read back, or -1 without check. */
    private long writeAndVerify(FileChannel out, ByteBuffer buf, ByteBuffer check, long pos, int from, int to)
            throws IOException {
        ByteBuffer slice = buf.duplicate().limit(to).position(from);
        while (slice.hasRemaining()) {
            out.write(slice, pos + slice.position());
        }
        if (check == null) {
            return -1;
        }
        check.clear().limit(to - from);
        while (check.hasRemaining()) {
            if (out.read(check, pos + from + check.position()) < 0) {
                break;
            }
        }
        check.flip();
        long written = crc(check);
        if (crc(buf.duplicate().limit(to).position(from)) != written) {
            throw new VolumeDriverException("verification failed at byte " + (pos + from) + ": the destination "
                    + "does not hold what was read from the source");
        }
        return written;
    }

    private static long crc(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate());
        return crc.getValue();
    }

    static boolean allZero(ByteBuffer buf, int from, int end) {
        int i = from;
        for (; i + 8 <= end; i += 8) {
            if (buf.getLong(i) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
