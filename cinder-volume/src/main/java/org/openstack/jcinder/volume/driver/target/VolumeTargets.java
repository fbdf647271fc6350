package org.openstack.jcinder.volume.driver.target;

import java.nio.file.Path;

import org.openstack.jcinder.common.config.BackendConfig;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.openstack.jcinder.volume.driver.VolumeDriverFactory;

/** Chooses a backend's target helper from its section ({@link TargetOptions}). */
public final class VolumeTargets {

    private VolumeTargets() {
    }

    public static VolumeTarget forBackend(CinderConfig config, BackendConfig backend) {
        if (!TargetOptions.TGTADM.equals(backend.get(TargetOptions.TARGET_HELPER))) {
            return new LocalTarget();
        }
        Path volumesDir = backend.find(TargetOptions.VOLUMES_DIR).map(Path::of)
                .orElseGet(() -> VolumeDriverFactory.defaultDirectory(config, backend, "volumes",
                        TargetOptions.VOLUMES_DIR));
        return new TgtAdmTarget(new TgtAdmTarget.Settings(backend.get(TargetOptions.TARGET_PREFIX),
                backend.get(TargetOptions.TARGET_IP_ADDRESS), backend.get(TargetOptions.TARGET_PORT), volumesDir,
                backend.get(TargetOptions.TGT_CONTROL_PORT)));
    }

    /** {@code driver} as the RPC endpoint uses it: unchanged for {@code local}, else exporting its connections. */
    public static VolumeDriver exported(CinderConfig config, BackendConfig backend, VolumeDriver driver) {
        VolumeTarget target = forBackend(config, backend);
        return target instanceof LocalTarget ? driver : new ExportedVolumeDriver(driver, target);
    }
}
