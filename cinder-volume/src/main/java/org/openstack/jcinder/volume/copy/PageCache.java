package org.openstack.jcinder.volume.copy;

import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.LastErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a copied range of regular files from the page cache ({@code POSIX_FADV_DONTNEED}), so a migration
 * that reads each byte once does not push the host's working set out. The destination must be flushed first:
 * dirty pages are not dropped. Nothing happens without glibc or for a block device opened with O_DIRECT.
 */
final class PageCache {

    private static final Logger LOG = LoggerFactory.getLogger(PageCache.class);

    private PageCache() {
    }

    static void evict(long from, long to, Path... files) {
        if (!LibC.available() || to <= from) {
            return;
        }
        LibC.Calls c = LibC.get().orElseThrow();
        for (Path p : files) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            try (LibC.Fd fd = LibC.Fd.open(c, p.toString(), LibC.O_RDONLY)) {
                c.posix_fadvise(fd.fd, from, to - from, LibC.POSIX_FADV_DONTNEED);
            } catch (LastErrorException e) {
                LOG.debug("could not drop {} from the page cache: {}", p, e.getMessage());
            }
        }
    }
}
