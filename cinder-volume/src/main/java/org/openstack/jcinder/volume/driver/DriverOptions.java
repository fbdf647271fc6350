package org.openstack.jcinder.volume.driver;

import org.openstack.jcinder.common.config.BackendOptions;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;

/**
 * Options of a backend section that every driver here accepts (Cinder's {@code cinder/volume/driver.py}
 * options, where this project has them), declared for {@value BackendOptions#SECTION} like
 * {@link BackendOptions}. A driver's own options are in its own catalogue ({@code FileOptions},
 * {@code LvmOptions}), the copy engine's in {@code CopyOptions}, the exports' in {@code TargetOptions}; {@link VolumeDriverFactory} joins them into
 * what one driver's section knows.
 */
public final class DriverOptions {

    public static final OptionCatalogue CATALOGUE = new OptionCatalogue();
    private static final String S = BackendOptions.SECTION;

    public static final Option<Integer> RESERVED_PERCENTAGE = CATALOGUE.integer(S, "reserved_percentage", 0, 0,
            100, "Percentage of the backend's capacity kept free: the scheduler places no volume in it.");

    /** This project's rollback window (issue 16): read by the volume service when it wires a backend's migrator. */
    public static final Option<Long> MIGRATION_KEEP_SOURCE = CATALOGUE.longInteger(S, "migration_keep_source", 0, 0,
            Long.MAX_VALUE, "Seconds the old copy of a volume is kept on this backend after a successful detached "
                    + "migration from it, so os-migrate_volume_revert can swap back without copying; 0 (the default, "
                    + "Cinder's behaviour) deletes it at once.");


    private DriverOptions() {
    }
}
