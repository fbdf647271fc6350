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

    /** Whether a running copy follows {@link CopyControl#setBpsLimit} changes. */
    default boolean followsLiveBandwidthLimit() {
        return false;
    }
}
