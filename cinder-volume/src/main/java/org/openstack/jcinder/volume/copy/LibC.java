package org.openstack.jcinder.volume.copy;

import java.nio.ByteBuffer;
import java.util.Optional;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.LongByReference;

/**
 * The Linux system calls the copy engines need and Java does not expose (JNA, glibc, x86_64 and aarch64):
 * {@code copy_file_range}, the {@code FICLONE} ioctl (reflink), {@code lseek} with {@code SEEK_DATA}/
 * {@code SEEK_HOLE}, {@code sync_file_range}, {@code posix_fadvise}, and {@code kill} (pausing and resuming
 * dd to pace it). {@link #get()} is empty where glibc cannot be loaded; every caller then takes its portable
 * path.
 */
final class LibC {

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    static final int ENXIO = 6;
    static final int EINTR = 4;
    /** _IOW(0x94, 9, int). */
    static final long FICLONE = 0x40049409L;
    static final int SYNC_FILE_RANGE_WRITE = 2;
    static final int POSIX_FADV_SEQUENTIAL = 2;
    static final int POSIX_FADV_DONTNEED = 4;
    static final int SIGKILL = 9;
    static final int SIGCONT = 18;
    static final int SIGSTOP = 19;

    /** The glibc functions, each throwing {@link LastErrorException} (errno) on -1. */
    interface Calls extends Library {
        int open(String path, int flags, int mode) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        long lseek(int fd, long offset, int whence) throws LastErrorException;

        long copy_file_range(int fdIn, LongByReference offIn, int fdOut, LongByReference offOut, long len, int flags)
                throws LastErrorException;

        int ioctl(int fd, NativeLong request, int arg) throws LastErrorException;

        int sync_file_range(int fd, long offset, long nbytes, int flags) throws LastErrorException;

        int posix_fadvise(int fd, long offset, long len, int advice);

        int fdatasync(int fd) throws LastErrorException;

        long pread(int fd, ByteBuffer buf, long count, long offset) throws LastErrorException;

        int kill(int pid, int signal) throws LastErrorException;
    }

    private static final Optional<Calls> CALLS = load();

    private LibC() {
    }

    private static Optional<Calls> load() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Native.load("c", Calls.class));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(LibC.class).warn("glibc not loadable through JNA ({}): the copy "
                    + "engines use their portable paths", e.toString());
            return Optional.empty();
        }
    }

    static Optional<Calls> get() {
        return CALLS;
    }

    static boolean available() {
        return CALLS.isPresent();
    }

    /** An open file descriptor, closed once. */
    static final class Fd implements AutoCloseable {
        final int fd;
        private boolean closed;

        private Fd(int fd) {
            this.fd = fd;
        }

        static Fd open(Calls c, String path, int flags) {
            return new Fd(c.open(path, flags | O_CLOEXEC, 0));
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                try {
                    CALLS.orElseThrow().close(fd);
                } catch (LastErrorException ignored) {
                    // Nothing written through this descriptor is lost by a failed close after fdatasync.
                }
            }
        }
    }
}
