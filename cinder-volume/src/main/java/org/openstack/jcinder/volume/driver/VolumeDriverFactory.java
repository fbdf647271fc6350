package org.openstack.jcinder.volume.driver;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

import org.openstack.jcinder.common.config.BackendConfig;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.volume.driver.file.FileVolumeDriver;
import org.openstack.jcinder.volume.driver.lvm.LvmVolumeDriver;
import org.springframework.stereotype.Component;

/**
 * Builds the driver a backend section names in {@code volume_driver}. Accepts this project's class names and
 * short aliases; Cinder's own class names map here as drivers for them are added.
 */
@Component
public class VolumeDriverFactory {

    private static final Map<String, BiFunction<CinderConfig, BackendConfig, VolumeDriver>> DRIVERS = Map.of(
            "file", FileVolumeDriver::new,
            FileVolumeDriver.class.getName(), FileVolumeDriver::new,
            "lvm", LvmVolumeDriver::new,
            LvmVolumeDriver.class.getName(), LvmVolumeDriver::new,
            // An operator's existing cinder.conf section keeps working.
            "cinder.volume.drivers.lvm.LVMVolumeDriver", LvmVolumeDriver::new);

    public VolumeDriver create(CinderConfig config, BackendConfig backend) {
        BiFunction<CinderConfig, BackendConfig, VolumeDriver> ctor = DRIVERS.get(backend.volumeDriver());
        if (ctor == null) {
            throw backend.error("volume_driver", "unknown driver '" + backend.volumeDriver() + "' (known: "
                    + String.join(", ", DRIVERS.keySet()) + ")");
        }
        return ctor.apply(config, backend);
    }

    /** Where a backend keeps local state when its section does not say: {@code state_path/<what>/<backend>}. */
    public static Path defaultDirectory(CinderConfig config, BackendConfig backend, String what, String key) {
        return config.statePath()
                .map(p -> p.resolve(what).resolve(backend.name()))
                .orElseThrow(() -> backend.error(key, "required option is not set (and [DEFAULT] state_path "
                        + "is not set either)"));
    }
}
