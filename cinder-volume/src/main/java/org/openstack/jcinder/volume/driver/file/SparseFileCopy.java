package org.openstack.jcinder.volume.driver.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a volume file into a new file, leaving all-zero blocks as holes so a thin volume stays thin, and
 * forces the data to disk before returning (the caller deletes the source next).
 */
final class SparseFileCopy {

    private static final int BLOCK = 1 << 20;

    private SparseFileCopy() {
    }

    static void copy(Path source, Path target, long length) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
            long pos = 0;
            while (pos < length) {
                buf.clear();
                buf.limit((int) Math.min(BLOCK, length - pos));
                int n = in.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                buf.flip();
                if (!allZero(buf)) {
                    while (buf.hasRemaining()) {
                        out.write(buf, pos + buf.position());
                    }
                }
                pos += n;
            }
            // The logical size must match even when the tail is a hole.
            if (out.size() < length) {
                out.write(ByteBuffer.wrap(new byte[1]), length - 1);
            }
            out.force(true);
        }
    }

    private static boolean allZero(ByteBuffer buf) {
        int i = buf.position();
        int end = buf.limit();
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
