package org.openstack.jcinder.shared.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The operator's policy file ({@code [oslo_policy] policy_file}), as oslo.policy reads it: YAML or JSON, a map
 * of rule name to check string (or oslo.policy's list form). A file that does not exist means Cinder's (Nova's)
 * defaults, without an error. The file is looked at again when a request needs the rules and a second has passed
 * since the last look (one stat); when it changed, it is read again, so an edit takes effect without a restart.
 * A file that does not parse is reported at ERROR once per change and the last good rules stay in effect.
 */
public final class PolicyFile implements PolicyOverrides {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyFile.class);
    public static final String SECTION = "oslo_policy";
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private final Path path;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private volatile Map<String, Object> rules = Map.of();
    private volatile long nextCheck;
    /** What the file looked like when last read (null: absent); a change of any part means read it again. */
    private Stamp stamp;
    private boolean firstLook = true;

    private record Stamp(Object fileKey, long modifiedNanos, long size) {
    }

    public PolicyFile(Path path) {
        this(path, CHECK_INTERVAL, System::nanoTime);
    }

    public PolicyFile(Path path, Duration checkInterval, LongSupplier nanoTime) {
        this.path = path.toAbsolutePath().normalize();
        this.intervalNanos = checkInterval.toNanos();
        this.nanoTime = nanoTime;
        this.nextCheck = nanoTime.getAsLong();
        look();
    }

    /**
     * {@code [oslo_policy] policy_file} for a service's catalogue, with the oslo.policy options an operator's
     * file may carry that have no effect here.
     */
    public static Option<String> declare(OptionCatalogue c) {
        Option<String> file = c.string(SECTION, "policy_file", "policy.yaml",
                "The policy file (YAML or JSON) whose rules replace the defaults; a relative path is taken next "
                        + "to this configuration file. Absent: the defaults. Re-read when it changes.");
        c.ignored(SECTION, "enforce_scope", "oslo.policy's; tokens are project-scoped here, accepted, no effect.");
        c.ignored(SECTION, "enforce_new_defaults", "oslo.policy's; the defaults here are the new ones, accepted, "
                + "no effect.");
        c.ignored(SECTION, "policy_dirs", "oslo.policy's; only policy_file is read here, accepted, no effect.");
        c.ignored(SECTION, "policy_default_rule", "oslo.policy's; the rule named 'default' is the fallback here.");
        return file;
    }

    /** Where {@code option} points for the configuration {@code ini}: relative paths next to the file, as oslo.config finds them. */
    public static Path locate(IniFile ini, Option<String> option) {
        Path named = Path.of(option.get(ini));
        if (named.isAbsolute()) {
            return named;
        }
        Path dir = ini.source().toAbsolutePath().getParent();
        return dir == null ? named.toAbsolutePath() : dir.resolve(named);
    }

    public Path path() {
        return path;
    }

    @Override
    public Map<String, ?> rules() {
        if (nanoTime.getAsLong() - nextCheck >= 0) {
            look();
        }
        return rules;
    }

    private synchronized void look() {
        long now = nanoTime.getAsLong();
        if (!firstLook && now - nextCheck < 0) {
            return; // another thread just looked
        }
        nextCheck = now + intervalNanos;
        Stamp current = stat();
        boolean first = firstLook;
        firstLook = false;
        if (!first && Objects.equals(current, stamp)) {
            return;
        }
        stamp = current;
        if (current == null) {
            if (!first || !rules.isEmpty()) {
                LOG.info("Policy file {} is gone: the default rules apply", path);
            } else {
                LOG.info("No policy file at {}: the default rules apply", path);
            }
            rules = Map.of();
            return;
        }
        try {
            Map<String, Object> read = parse(Files.readString(path, StandardCharsets.UTF_8));
            rules = read;
            LOG.info("Policy file {} read: {} rule(s) replace or add to the defaults", path, read.size());
        } catch (IOException | RuntimeException e) {
            LOG.error("Policy file {} cannot be used ({}); the rules read before stay in effect", path,
                    e.getMessage());
        }
    }

    private Stamp stat() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                    a.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.error("Policy file {} cannot be read ({}); the rules read before stay in effect", path,
                    e.getMessage());
            return stamp;
        }
    }

    /**
     * The file's rules: a mapping of name to check string, or to a list of lists of checks; an empty file is no
     * rule. Anything else is refused with what is wrong.
     */
    static Map<String, Object> parse(String text) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (doc == null) {
            return Map.of();
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("the file is not a mapping of rule names to check strings");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new IllegalArgumentException("rule name " + e.getKey() + " is not a string");
            }
            Object value = e.getValue();
            if (value == null) {
                out.put(name, "");
            } else if (value instanceof String s) {
                out.put(name, s);
            } else if (value instanceof List<?> list && list.stream().allMatch(
                    i -> i instanceof String || i instanceof List<?> l && l.stream().allMatch(String.class::isInstance))) {
                out.put(name, List.copyOf(list));
            } else {
                throw new IllegalArgumentException("rule " + name + ": " + value + " is not a check string");
            }
        }
        return Map.copyOf(out);
    }
}
