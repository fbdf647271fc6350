package org.openstack.jcinder.shared.config;

import java.util.Optional;

/**
 * One option of a configuration file, declared once: where it lives, how its text is read, its default and what
 * it is for. Reading goes through the declaration, so a file, its sample and the unknown-option warnings cannot
 * disagree on a name. Declared through an {@link OptionCatalogue}.
 *
 * @param defaultValue the value when the file does not set it; null when there is none (the option is optional,
 *                     required, or its default is computed, like a host name)
 * @param ignored      accepted because an operator's file may carry it (the OpenStack service has it), but it
 *                     has no effect here
 */
public record Option<T>(String section, String name, OptionType<T> type, T defaultValue, boolean ignored,
                        String help) {

    /** The same option in another section: a group that repeats, like cinder.conf's backend sections. */
    public Option<T> in(String otherSection) {
        return new Option<>(otherSection, name, type, defaultValue, ignored, help);
    }

    /** The value the file sets; blank counts as unset, as in oslo.config. */
    public Optional<T> find(IniFile ini) {
        String text = ini.section(section).get(name);
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(type.parse(text));
        } catch (IllegalArgumentException e) {
            throw error(ini, e.getMessage());
        }
    }

    /** The value the file sets, else the default. */
    public T get(IniFile ini) {
        return find(ini).orElse(defaultValue);
    }

    public T require(IniFile ini) {
        return find(ini).orElseThrow(() -> error(ini, "required option is not set"));
    }

    /** The default as a file would spell it, if there is one. */
    public Optional<String> formattedDefault() {
        return Optional.ofNullable(defaultValue).map(type::format);
    }

    /** This option set to {@code value} in a copy of {@code ini}. */
    public IniFile set(IniFile ini, T value) {
        return ini.with(section, name, type.format(value));
    }

    public ConfigException error(IniFile ini, String problem) {
        return new ConfigException(ini.source() + ": [" + section + "] " + name + ": " + problem);
    }
}
