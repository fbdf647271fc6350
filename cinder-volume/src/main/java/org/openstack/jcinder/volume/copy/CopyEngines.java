package org.openstack.jcinder.volume.copy;

import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_BLOCK_SIZE_MB;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_BPS_LIMIT;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_DIRECT_IO;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_ENGINE;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_STREAMS;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_COPY_VERIFY;
import static org.openstack.jcinder.volume.copy.CopyOptions.VOLUME_DD_BLOCKSIZE;

import org.openstack.jcinder.common.config.BackendConfig;

/**
 * Chooses a backend's copy engine from its cinder.conf section ({@link CopyOptions}): {@code volume_copy_engine
 * = dd} (default, Cinder's behaviour, with {@code volume_dd_blocksize}) or {@code native}, with
 * {@code volume_copy_streams}, {@code volume_copy_block_size_mb}, {@code volume_copy_verify},
 * {@code volume_copy_bps_limit} and {@code volume_copy_direct_io} ({@code auto}, the default: O_DIRECT for block
 * devices only; {@code true}: wherever the files allow it; {@code false}: never) for the native one.
 */
public final class CopyEngines {

    private CopyEngines() {
    }

    public static CopyEngine forBackend(BackendConfig backend, DdCopyEngine dd) {
        return switch (backend.get(VOLUME_COPY_ENGINE)) {
            case "native" -> new NativeCopyEngine(new NativeCopyEngine.Settings(
                    backend.get(VOLUME_COPY_BLOCK_SIZE_MB) << 20,
                    backend.get(VOLUME_COPY_STREAMS),
                    backend.get(VOLUME_COPY_VERIFY),
                    backend.get(VOLUME_COPY_BPS_LIMIT),
                    backend.get(VOLUME_COPY_DIRECT_IO)));
            // The shared engine (default block size) unless the section sets one; DdCopyEngine checks it.
            default -> backend.find(VOLUME_DD_BLOCKSIZE).map(DdCopyEngine::new).orElse(dd);
        };
    }
}
