package org.openstack.jcinder.common.config;

import java.util.Map;
import java.util.Optional;

import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.shared.config.IniFile;

/**
 * One {@code [backend]} section of cinder.conf. The common options are typed here; each driver reads its own
 * options through {@link #option}, {@link #integerOption} and friends so that errors name the section and key.
 */
public record BackendConfig(String name, String volumeDriver, String volumeBackendName, String source,
                            Map<String, String> options) {

    static BackendConfig from(IniFile ini, String section) {
        return new BackendConfig(section, BackendOptions.VOLUME_DRIVER.in(section).require(ini),
                BackendOptions.VOLUME_BACKEND_NAME.in(section).find(ini).orElse(section), ini.source().toString(),
                Map.copyOf(ini.section(section)));
    }

    public Optional<String> option(String key) {
        String v = options.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    public String requiredOption(String key) {
        return option(key).orElseThrow(() -> error(key, "required option is not set"));
    }

    public long longOption(String key, long defaultValue) {
        Optional<String> v = option(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.get());
        } catch (NumberFormatException e) {
            throw error(key, "'" + v.get() + "' is not an integer");
        }
    }

    public boolean boolOption(String key, boolean defaultValue) {
        return option(key).map(v -> switch (v.toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw error(key, "'" + v + "' is not a boolean");
        }).orElse(defaultValue);
    }

    public ConfigException error(String key, String problem) {
        return new ConfigException(source + ": [" + name + "] " + key + ": " + problem);
    }
}
