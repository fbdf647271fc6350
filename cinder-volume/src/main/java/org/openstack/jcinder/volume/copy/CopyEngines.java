package org.openstack.jcinder.volume.copy;

import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_BLOCK_SIZE_MB;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_BPS_LIMIT;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_DIRECT_IO;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_ENGINE;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_OFFLOAD;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_STREAMS;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_VERIFY;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_DD_BLOCKSIZE;

import org.openstack.jcinder.common.config.BackendConfig;

/**
 * Chooses a backend's copy engine from its cinder.conf section ({@link CopyOptions}):
 * {@code volume_copy_engine = native} (default: the fastest here, {@code docs/benchmarks.md}), with {@code volume_copy_streams},
 * {@code volume_copy_block_size_mb}, {@code volume_copy_verify}, {@code volume_copy_bps_limit},
 * {@code volume_copy_direct_io} ({@code auto}, the default: O_DIRECT for block devices only; {@code true}:
 * wherever the files allow it; {@code false}: never) and {@code volume_copy_offload} (true: a reflink or
 * copy_file_range between files on one filesystem), or {@code dd} (Cinder's argument vector, with
 * {@code volume_dd_blocksize} and {@code volume_copy_bps_limit}).
 */
public final class CopyEngines {

    private CopyEngines() {
    }

    public static CopyEngine forBackend(BackendConfig backend, DdCopyEngine dd) {
        return switch (backend.get(VOLUME_COPY_ENGINE)) {
            case "dd" -> {
                long limit = backend.get(VOLUME_COPY_BPS_LIMIT);
                // The shared engine (default block size, no limit) unless the section sets either.
                yield backend.find(VOLUME_DD_BLOCKSIZE).isEmpty() && limit == 0 ? dd
                        : new DdCopyEngine(backend.find(VOLUME_DD_BLOCKSIZE).orElse(null), limit);
            }
            default -> new NativeCopyEngine(new NativeCopyEngine.Settings(
                    backend.get(VOLUME_COPY_BLOCK_SIZE_MB) << 20,
                    backend.get(VOLUME_COPY_STREAMS),
                    backend.get(VOLUME_COPY_VERIFY),
                    backend.get(VOLUME_COPY_BPS_LIMIT),
                    backend.get(VOLUME_COPY_DIRECT_IO),
                    backend.get(VOLUME_COPY_OFFLOAD)));
        };
    }
}
