package org.openstack.jcinder.shared.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one section's options with the section's name in every error; every service's configuration
 * (cinder.conf, nova.conf) reads INI options the same way.
 */
public final class OptionReader {

    private static final Logger LOG = LoggerFactory.getLogger(OptionReader.class);

    private final IniFile ini;
    private final String section;
    private final Map<String, String> values;

    public OptionReader(IniFile ini, String section) {
        this.ini = ini;
        this.section = section;
        this.values = ini.section(section);
    }

    public void warnUnknown(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                LOG.warn("{}: [{}] {}: unknown option, ignored", ini.source(), section, key);
            }
        }
    }

    public Optional<String> string(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    public String required(String key) {
        return string(key).orElseThrow(() -> new ConfigException(
                ini.source() + ": [" + section + "] " + key + ": required option is not set"));
    }

    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(v.get());
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(ini.source() + ": [" + section + "] " + key + ": '" + v.get()
                    + "' is not an integer between " + min + " and " + max);
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(ini.source() + ": [" + section + "] " + key + ": '"
                    + v.get() + "' is not a boolean");
        };
    }

    public List<String> list(String key) {
        List<String> out = new ArrayList<>();
        for (String part : string(key).orElse("").split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    public Map<String, String> all() {
        return values;
    }
}
