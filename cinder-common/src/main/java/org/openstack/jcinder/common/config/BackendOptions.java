package org.openstack.jcinder.common.config;

import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;

/**
 * The options every backend section of cinder.conf has, declared for the section {@value #SECTION} and read
 * from each enabled backend's own section ({@link Option#in}); a driver's own options are its own.
 */
public final class BackendOptions {

    /** Stands for the section of each enabled backend. */
    public static final String SECTION = "backend";

    public static final OptionCatalogue CATALOGUE = new OptionCatalogue();

    public static final Option<String> VOLUME_DRIVER = CATALOGUE.string(SECTION, "volume_driver", null,
            "The driver of this backend: file or lvm (or Cinder's class name of the LVM driver).");
    public static final Option<String> VOLUME_BACKEND_NAME = CATALOGUE.string(SECTION, "volume_backend_name",
            null, "The name volume types select the backend by. Default: the section's name.");
    public static final Option<Integer> MAX_CONCURRENT_MIGRATIONS = CATALOGUE.integer(SECTION,
            "max_concurrent_migrations", 0, 0, Integer.MAX_VALUE, "Migrations from this backend that run at once "
                    + "(0 = unlimited); more wait in its queue, first come first served.");

    private BackendOptions() {
    }
}
