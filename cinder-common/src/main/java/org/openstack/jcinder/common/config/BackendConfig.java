package org.openstack.jcinder.common.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.config.Option;

/**
 * One {@code [backend]} section of cinder.conf. The common options are typed here; a driver reads its own
 * through their declarations ({@link #get}, {@link #find}, {@link #require}: options declared for the section
 * {@value BackendOptions#SECTION}, read from this backend's section), so that errors name the file, section
 * and key. Two are equal when they have the same name, file name and section: the rest of the file does not
 * matter to a backend.
 */
public record BackendConfig(String name, String volumeDriver, String volumeBackendName, IniFile file) {

    static BackendConfig from(IniFile ini, String section) {
        return new BackendConfig(section, BackendOptions.VOLUME_DRIVER.in(section).require(ini),
                BackendOptions.VOLUME_BACKEND_NAME.in(section).find(ini).orElse(section), ini);
    }

    /** The value this section sets, else the option's default. */
    public <T> T get(Option<T> option) {
        return option.in(name).get(file);
    }

    /** The value this section sets; blank counts as unset. */
    public <T> Optional<T> find(Option<T> option) {
        return option.in(name).find(file);
    }

    public <T> T require(Option<T> option) {
        return option.in(name).require(file);
    }

    /** This backend as if its section set {@code option} to {@code value}, checked like the file's own. */
    public <T> BackendConfig with(Option<T> option, T value) {
        return from(option.in(name).set(file, value), name);
    }

    /** The file this section was read from. */
    public String source() {
        return file.source().toString();
    }

    /** This backend's section as the file sets it. */
    public Map<String, String> section() {
        return file.section(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackendConfig b && name.equals(b.name) && volumeDriver.equals(b.volumeDriver)
                && volumeBackendName.equals(b.volumeBackendName) && file.source().equals(b.file.source())
                && section().equals(b.section());
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, volumeDriver, volumeBackendName, file.source(), section());
    }

    @Override
    public String toString() {
        return "BackendConfig[" + name + " of " + file.source() + ": volume_driver=" + volumeDriver
                + ", volume_backend_name=" + volumeBackendName + "]";
    }

    /** A start-up error naming the file, this section and the option's key. */
    public ConfigException error(Option<?> option, String problem) {
        return option.in(name).error(file, problem);
    }
}
