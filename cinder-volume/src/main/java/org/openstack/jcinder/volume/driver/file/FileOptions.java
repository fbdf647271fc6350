package org.openstack.jcinder.volume.driver.file;

import org.openstack.jcinder.common.config.BackendOptions;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;
import org.openstack.jcinder.shared.config.OptionType;

/** The file driver's own options (this project's driver; Cinder has no such driver). */
public final class FileOptions {

    public static final OptionCatalogue CATALOGUE = new OptionCatalogue();
    private static final String S = BackendOptions.SECTION;

    public static final Option<String> FILE_VOLUME_DIR = CATALOGUE.string(S, "file_volume_dir", null,
            "Directory of the backend's volume files. Default: <state_path>/volumes/<backend>.");
    public static final Option<Long> FILE_VOLUME_CAPACITY_GB = CATALOGUE.option(S, "file_volume_capacity_gb",
            OptionType.longInteger(0, Long.MAX_VALUE), null,
            "Capacity reported to the scheduler, in GiB. Default: the directory's filesystem.");
    /** Cinder's option (driver.py), with this project's default: Cinder's is 20.0 (and it accepts auto). */
    public static final Option<Double> MAX_OVER_SUBSCRIPTION_RATIO = CATALOGUE.decimal(S,
            "max_over_subscription_ratio", 1.0, 1.0, Double.MAX_VALUE,
            "How many times its capacity the backend may provision (file volumes are thin); at least 1.0.");

    private FileOptions() {
    }
}
