package org.openstack.jcinder.volume.copy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.nio.file.ExtendedOpenOption;

/**
 * Opens a copy's files with O_DIRECT where the file or device accepts it, so a volume copy neither fills the
 * page cache nor evicts the guests' working sets, and falls back to buffered I/O (one log line) where it is
 * refused — /dev/zero, /dev/null, some network filesystems answer EINVAL.
 */
final class DirectChannels {

    private static final Logger LOG = LoggerFactory.getLogger(DirectChannels.class);
    /** Offsets, lengths and buffer addresses of direct I/O are kept multiples of this. */
    static final int MIN_ALIGNMENT = 4096;

    record Opened(FileChannel channel, boolean direct, int alignment) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private DirectChannels() {
    }

    /**
     * Opens {@code path}; with {@code preferDirect}, O_DIRECT first. Direct I/O is only used when the
     * alignment the filesystem asks for divides {@code unit} (the size of every read and write).
     */
    static Opened open(Path path, boolean preferDirect, long unit, OpenOption... options) throws IOException {
        if (preferDirect) {
            int alignment = alignment(path);
            if (unit % alignment != 0) {
                LOG.info("{}: I/O unit {} is not a multiple of the block size {}; using buffered I/O", path, unit,
                        alignment);
            } else {
                List<OpenOption> direct = new ArrayList<>(List.of(options));
                direct.add(ExtendedOpenOption.DIRECT);
                try {
                    return new Opened(FileChannel.open(path, direct.toArray(OpenOption[]::new)), true, alignment);
                } catch (IOException | UnsupportedOperationException e) {
                    LOG.info("{}: O_DIRECT refused ({}); using buffered I/O", path, e.getMessage());
                }
            }
        }
        return new Opened(FileChannel.open(path, options), false, 1);
    }

    private static int alignment(Path path) {
        try {
            long blockSize = Files.getFileStore(path).getBlockSize();
            return (int) Math.max(MIN_ALIGNMENT, Math.min(blockSize, 1 << 20));
        } catch (IOException | UnsupportedOperationException e) {
            return MIN_ALIGNMENT;
        }
    }

    /** A direct buffer of {@code capacity} bytes whose address is a multiple of {@code alignment}. */
    static ByteBuffer buffer(int capacity, int alignment) {
        if (alignment <= 1) {
            return ByteBuffer.allocateDirect(capacity);
        }
        return ByteBuffer.allocateDirect(capacity + alignment).alignedSlice(alignment).limit(capacity).slice();
    }
}
