package org.openstack.jcinder.volume.driver.lvm;

import java.util.List;

import org.openstack.jcinder.common.config.BackendOptions;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;

/**
 * The LVM driver's own options: Cinder's ({@code cinder/volume/drivers/lvm.py}, and {@code volume_clear*} of
 * driver.py, which only this driver reads), and {@code lvm_activation}, this project's.
 */
public final class LvmOptions {

    public static final OptionCatalogue CATALOGUE = new OptionCatalogue();
    private static final String S = BackendOptions.SECTION;

    /** Required here; Cinder's default is cinder-volumes. */
    public static final Option<String> VOLUME_GROUP = CATALOGUE.string(S, "volume_group", null,
            "The volume group holding the backend's logical volumes (required).");
    public static final Option<String> LVM_TYPE = CATALOGUE.choice(S, "lvm_type", "auto",
            List.of("default", "auto", "thin"),
            "default (thick) or auto (thick here: thin pools are not supported); thin is refused.");
    public static final Option<Integer> LVM_MIRRORS = CATALOGUE.integer(S, "lvm_mirrors", 0, 0, Integer.MAX_VALUE,
            "Mirrors of each LV (lvcreate --type mirror -m N); 0 = none.");
    public static final Option<String> LVM_ACTIVATION = CATALOGUE.choice(S, "lvm_activation", "device-mapper",
            List.of("device-mapper", "loop"),
            "device-mapper (production) or loop (no device-mapper: LVs reached through loop devices over their "
                    + "extents).");
    public static final Option<String> VOLUME_CLEAR = CATALOGUE.choice(S, "volume_clear", "zero",
            List.of("none", "zero"), "How a deleted volume is wiped: zero (written over with zeros) or none.");
    public static final Option<Integer> VOLUME_CLEAR_SIZE = CATALOGUE.integer(S, "volume_clear_size", 0, 0, 1024,
            "MiB wiped at the start of a deleted volume; 0 = all of it.");

    private LvmOptions() {
    }
}
