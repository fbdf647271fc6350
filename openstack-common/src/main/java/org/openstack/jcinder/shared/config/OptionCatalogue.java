package org.openstack.jcinder.shared.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The options of one configuration file, each declared once through the factory methods here, in the order a
 * sample file lists them. The names a section knows (for the unknown-option warnings) and the sample-file
 * check come from these declarations.
 */
public final class OptionCatalogue {

    private static final Logger LOG = LoggerFactory.getLogger(OptionCatalogue.class);

    private final List<Option<?>> options = new ArrayList<>();

    public Option<String> string(String section, String name, String defaultValue, String help) {
        return add(new Option<>(section, name, OptionType.string(), defaultValue, false, help));
    }

    public Option<Integer> integer(String section, String name, int defaultValue, int min, int max, String help) {
        return add(new Option<>(section, name, OptionType.integer(min, max), defaultValue, false, help));
    }

    public Option<Long> longInteger(String section, String name, long defaultValue, long min, long max,
                                    String help) {
        return add(new Option<>(section, name, OptionType.longInteger(min, max), defaultValue, false, help));
    }

    public Option<Double> decimal(String section, String name, double defaultValue, double min, double max,
                                  String help) {
        return add(new Option<>(section, name, OptionType.decimal(min, max), defaultValue, false, help));
    }

    /**
     * An option of any type; {@code defaultValue} null when there is none (optional, required, or computed,
     * which the help text says).
     */
    public <T> Option<T> option(String section, String name, OptionType<T> type, T defaultValue, String help) {
        return add(new Option<>(section, name, type, defaultValue, false, help));
    }

    public Option<Boolean> bool(String section, String name, boolean defaultValue, String help) {
        return add(new Option<>(section, name, OptionType.bool(), defaultValue, false, help));
    }

    public Option<List<String>> list(String section, String name, String help) {
        return add(new Option<>(section, name, OptionType.list(), List.of(), false, help));
    }

    public Option<String> choice(String section, String name, String defaultValue, Collection<String> choices,
                                 String help) {
        return add(new Option<>(section, name, OptionType.choice(choices), defaultValue, false, help));
    }

    /** An option of the OpenStack service that an operator's file may carry; accepted, without effect here. */
    public Option<String> ignored(String section, String name, String help) {
        return add(new Option<>(section, name, OptionType.string(), null, true, help));
    }

    private <T> Option<T> add(Option<T> option) {
        for (Option<?> o : options) {
            if (o.section().equals(option.section()) && o.name().equals(option.name())) {
                throw new IllegalStateException("[" + option.section() + "] " + option.name() + " declared twice");
            }
        }
        options.add(option);
        return option;
    }

    /**
     * The options of all {@code parts} in one catalogue (what one kind of section knows when several
     * catalogues declare its options); an option declared by two of them is an error, as within one.
     */
    public static OptionCatalogue union(OptionCatalogue... parts) {
        OptionCatalogue out = new OptionCatalogue();
        for (OptionCatalogue part : parts) {
            part.options.forEach(out::add);
        }
        return out;
    }

    public List<Option<?>> all() {
        return List.copyOf(options);
    }

    public Set<String> sections() {
        Set<String> out = new LinkedHashSet<>();
        options.forEach(o -> out.add(o.section()));
        return out;
    }

    public Set<String> names(String section) {
        Set<String> out = new LinkedHashSet<>();
        options.stream().filter(o -> o.section().equals(section)).forEach(o -> out.add(o.name()));
        return out;
    }

    /** Logs each option of {@code section} in the file that is not declared here; the service goes on. */
    public void warnUnknown(IniFile ini, String section) {
        warnUnknown(ini, section, section);
    }

    /**
     * Logs each option of the file's {@code section} that is not declared here for {@code declaredSection}
     * (a section that repeats, like cinder.conf's backend sections, is declared once under a name of its own).
     */
    public void warnUnknown(IniFile ini, String section, String declaredSection) {
        for (String key : unknown(ini, section, declaredSection)) {
            LOG.warn("{}: [{}] {}: unknown option, ignored", ini.source(), section, key);
        }
    }

    /** The options the file's {@code section} sets that are not declared here for {@code declaredSection}. */
    public List<String> unknown(IniFile ini, String section, String declaredSection) {
        Set<String> known = names(declaredSection);
        return ini.section(section).keySet().stream().filter(key -> !known.contains(key)).toList();
    }
}
