package org.openstack.jcinder.volume.driver;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import org.openstack.jcinder.common.config.BackendConfig;
import org.openstack.jcinder.common.config.BackendOptions;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;
import org.openstack.jcinder.volume.copy.CopyOptions;
import org.openstack.jcinder.volume.driver.file.FileOptions;
import org.openstack.jcinder.volume.driver.file.FileVolumeDriver;
import org.openstack.jcinder.volume.driver.lvm.LvmOptions;
import org.openstack.jcinder.volume.driver.lvm.LvmVolumeDriver;
import org.openstack.jcinder.volume.driver.target.TargetOptions;
import org.springframework.stereotype.Component;

/**
 * Builds the driver a backend section names in {@code volume_driver}. Accepts this project's class names and
 * short aliases; Cinder's own class names map here as drivers for them are added. Each driver registers the
 * options its section knows: the common ones ({@link BackendOptions}, {@link DriverOptions}, the copy engine's
 * {@link CopyOptions}) and its own; any other option of the section is logged as unknown and ignored.
 */
@Component
public class VolumeDriverFactory {

    private record Driver(BiFunction<CinderConfig, BackendConfig, VolumeDriver> constructor,
                          OptionCatalogue options) {

        /** A driver whose section knows the common options and {@code own}. */
        static Driver of(BiFunction<CinderConfig, BackendConfig, VolumeDriver> constructor, OptionCatalogue own) {
            return new Driver(constructor, OptionCatalogue.union(BackendOptions.CATALOGUE, DriverOptions.CATALOGUE,
                    CopyOptions.CATALOGUE, TargetOptions.CATALOGUE, own));
        }
    }

    private static final Driver FILE = Driver.of(FileVolumeDriver::new, FileOptions.CATALOGUE);
    private static final Driver LVM = Driver.of(LvmVolumeDriver::new, LvmOptions.CATALOGUE);

    private static final Map<String, Driver> DRIVERS = Map.of(
            "file", FILE,
            FileVolumeDriver.class.getName(), FILE,
            "lvm", LVM,
            LvmVolumeDriver.class.getName(), LVM,
            // An operator's existing cinder.conf section keeps working.
            "cinder.volume.drivers.lvm.LVMVolumeDriver", LVM);

    public VolumeDriver create(CinderConfig config, BackendConfig backend) {
        Driver driver = DRIVERS.get(backend.volumeDriver());
        if (driver == null) {
            throw backend.error(BackendOptions.VOLUME_DRIVER, "unknown driver '" + backend.volumeDriver()
                    + "' (known: " + String.join(", ", DRIVERS.keySet()) + ")");
        }
        driver.options().warnUnknown(backend.file(), backend.name(), BackendOptions.SECTION);
        return driver.constructor().apply(config, backend);
    }

    /**
     * Every option a backend section of the driver {@code volumeDriver} (as {@code volume_driver} names it)
     * knows, declared for the section {@value BackendOptions#SECTION}; empty for an unknown driver.
     */
    public static Optional<OptionCatalogue> options(String volumeDriver) {
        return Optional.ofNullable(DRIVERS.get(volumeDriver)).map(Driver::options);
    }

    /** Where a backend keeps local state when its section does not say: {@code state_path/<what>/<backend>}. */
    public static Path defaultDirectory(CinderConfig config, BackendConfig backend, String what,
                                        Option<?> option) {
        return config.statePath()
                .map(p -> p.resolve(what).resolve(backend.name()))
                .orElseThrow(() -> backend.error(option, "required option is not set (and [DEFAULT] state_path "
                        + "is not set either)"));
    }
}
