package org.openstack.jcinder.shared.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line every OpenStack service shares: {@code --config-file PATH}, the rest for Spring, and a
 * configuration error ending the process with one line.
 */
public final class ServiceLauncher {

    private ServiceLauncher() {
    }

    /** The value of {@code --config-file PATH} or {@code --config-file=PATH}, if given. */
    public static Path configFileArg(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config-file") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config-file=")) {
                return Path.of(args[i].substring("--config-file=".length()));
            }
        }
        return null;
    }

    /** Arguments for Spring: everything except our own {@code --config-file}. */
    public static String[] springArgs(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config-file")) {
                i++;
            } else if (!args[i].startsWith("--config-file=")) {
                out.add(args[i]);
            }
        }
        return out.toArray(String[]::new);
    }

    /** Prints a configuration error as the one line an operator needs and exits non-zero. */
    public static void exitOnConfigError(ConfigException e) {
        System.err.println("ERROR: " + e.getMessage());
        System.exit(2);
    }
}
