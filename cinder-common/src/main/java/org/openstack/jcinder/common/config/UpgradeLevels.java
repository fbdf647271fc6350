package org.openstack.jcinder.common.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.config.Option;

/**
 * {@code [upgrade_levels]} (what callers may send to each binary) and the testing overrides of what this process's
 * services announce. A pin is empty (the newest), {@link #AUTO}, or a {@code major.minor} version.
 */
public record UpgradeLevels(Optional<String> volume, Optional<String> scheduler, Duration autoRefresh,
                            Optional<String> volumeServed, Optional<String> schedulerServed) {

    public static final String AUTO = "auto";
    /** The services table's binaries (ServiceRegistry's names; configuration sits below that layer). */
    public static final String VOLUME_BINARY = "cinder-volume";
    public static final String SCHEDULER_BINARY = "cinder-scheduler";
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+");

    public static UpgradeLevels from(IniFile ini) {
        return new UpgradeLevels(
                pin(ini, CinderOptions.UPGRADE_LEVELS_VOLUME, true),
                pin(ini, CinderOptions.UPGRADE_LEVELS_SCHEDULER, true),
                Duration.ofSeconds(CinderOptions.UPGRADE_LEVELS_AUTO_REFRESH.get(ini)),
                pin(ini, CinderOptions.VOLUME_RPC_VERSION_OVERRIDE, false),
                pin(ini, CinderOptions.SCHEDULER_RPC_VERSION_OVERRIDE, false));
    }

    /** The pin of {@code binary}'s receivers (empty: none, send at the newest). */
    public Optional<String> pinOf(String binary) {
        return switch (binary) {
            case VOLUME_BINARY -> volume;
            case SCHEDULER_BINARY -> scheduler;
            default -> Optional.empty();
        };
    }

    /** The version a service of {@code binary} in this process serves and announces: its override, else newest. */
    public String served(String binary, String newest) {
        Optional<String> override = switch (binary) {
            case VOLUME_BINARY -> volumeServed;
            case SCHEDULER_BINARY -> schedulerServed;
            default -> Optional.empty();
        };
        return override.orElse(newest);
    }

    private static Optional<String> pin(IniFile ini, Option<String> option, boolean autoAllowed) {
        Optional<String> value = option.find(ini).map(String::trim).filter(v -> !v.isEmpty());
        value.ifPresent(v -> {
            if (!VERSION.matcher(v).matches() && !(autoAllowed && AUTO.equals(v))) {
                throw option.error(ini, "'" + v + "' is not " + (autoAllowed ? "auto nor " : "") + "a version "
                        + "such as 3.5");
            }
        });
        return value;
    }
}
