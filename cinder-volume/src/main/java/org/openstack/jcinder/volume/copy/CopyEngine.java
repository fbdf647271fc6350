package org.openstack.jcinder.volume.copy;

import java.nio.file.Path;

/** Copies a volume's bytes from one attached path to another (the generic migration's data mover). */
public interface CopyEngine {

    /**
     * Receives the number of bytes copied so far. Engines with several streams call it from several threads
     * (never concurrently: they serialise the calls).
     */
    @FunctionalInterface
    interface Progress {
        void copied(long bytes);
    }

    /**
     * Copies {@code bytes} bytes from {@code source} to {@code destination}. With {@code sparse}, blocks of
     * zeros are not written (only safe when the destination is known to read as zeros).
     */
    default void copy(Path source, Path destination, long bytes, boolean sparse, Progress progress) {
        copy(source, destination, bytes, sparse, progress, CopyControl.none());
    }

    /**
     * As above, under {@code control}: a cancelled copy stops with {@link CopyCancelledException} and leaves
     * the destination to the caller to discard.
     */
    void copy(Path source, Path destination, long bytes, boolean sparse, Progress progress, CopyControl control);

    /** Whether {@link #copyRange} copies any range (else only the whole volume). */
    default boolean copiesRanges() {
        return false;
    }

    /**
     * Copies only {@code [from, to)} of a volume of {@code bytes} bytes, reporting progress that includes the
     * part before {@code from}; answers the end of what is now copied ({@code to}, or more when the engine took
     * the whole volume at once). Engines that cannot ({@link #copiesRanges} false) accept only the whole volume.
     */
    default long copyRange(Path source, Path destination, long bytes, long from, long to, boolean sparse,
                           Progress progress, CopyControl control) {
        if (from != 0 || to != bytes) {
            throw new UnsupportedOperationException("this copy engine copies whole volumes only");
        }
        copy(source, destination, bytes, sparse, progress, control);
        return bytes;
    }

    /**
     * What {@link #copyRangeChecksummed} copied: the end reached, the CRC32C of the destination's
     * {@code [from, end)} as the engine read it back while verifying, or {@link #UNKNOWN} (the caller reads it),
     * and whether the destination was cloned (a reflink: it shares the source's blocks, nothing was written).
     */
    record RangeCopy(long end, long destinationCrc32c, boolean cloned) {
        public static final long UNKNOWN = -1;

        public RangeCopy(long end, long destinationCrc32c) {
            this(end, destinationCrc32c, false);
        }
    }

    /**
     * As {@link #copyRange}, and the destination's checksum of the range when the engine has it without
     * reading the destination again (its verification read every byte back): a checkpoint then costs no
     * extra pass over a block device.
     */
    default RangeCopy copyRangeChecksummed(Path source, Path destination, long bytes, long from, long to,
                                           boolean sparse, Progress progress, CopyControl control) {
        return new RangeCopy(copyRange(source, destination, bytes, from, to, sparse, progress, control),
                RangeCopy.UNKNOWN);
    }

    /**
     * Drops {@code [from, to)} of both volumes from the page cache once the caller is done with a range that
     * {@link #copyRange} left cached (to checksum it from memory): a migration reads its data once, and should
     * not push the host's working set out. Engines that cache nothing do nothing.
     */
    default void evictFromCache(Path source, Path destination, long from, long to) {
    }

    /** Whether a copy keeps a bandwidth limit at all (reported to the API, which refuses a limit otherwise). */
    default boolean keepsBandwidthLimit() {
        return true;
    }

    /** Whether a running copy follows {@link CopyControl#setBpsLimit} changes. */
    default boolean followsLiveBandwidthLimit() {
        return false;
    }
}
