package org.openstack.jcinder.shared.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The INI dialect oslo.config reads: {@code [section]} headers, {@code key = value} (or {@code key: value})
 * lines, {@code #} and {@code ;} comments, and indented continuation lines that append to the previous value.
 * Keys are case-sensitive like oslo's; a repeated key keeps the last value.
 */
public final class IniFile {

    private final Path source;
    private final Map<String, Map<String, String>> sections;

    private IniFile(Path source, Map<String, Map<String, String>> sections) {
        this.source = source;
        this.sections = sections;
    }

    public static IniFile load(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read configuration file: " + e.getMessage());
        }
        return parse(path, lines);
    }

    public static IniFile parse(Path source, List<String> lines) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        String lastKey = null;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String line = raw.strip();
            int lineNo = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0)) && current != null && lastKey != null) {
                current.merge(lastKey, line, (old, more) -> old.isEmpty() ? more : old + "\n" + more);
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new ConfigException(source + ":" + lineNo + ": malformed section header '" + line + "'");
                }
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1).strip(),
                        k -> new LinkedHashMap<>());
                lastKey = null;
                continue;
            }
            int sep = firstSeparator(line);
            if (sep <= 0) {
                throw new ConfigException(source + ":" + lineNo + ": expected 'key = value', got '" + line + "'");
            }
            if (current == null) {
                throw new ConfigException(source + ":" + lineNo + ": option '" + line.substring(0, sep).strip()
                        + "' appears before any [section] header");
            }
            lastKey = line.substring(0, sep).strip();
            current.put(lastKey, line.substring(sep + 1).strip());
        }
        return new IniFile(source, sections);
    }

    private static int firstSeparator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    public Path source() {
        return source;
    }

    public boolean hasSection(String name) {
        return sections.containsKey(name);
    }

    public Map<String, String> section(String name) {
        return Collections.unmodifiableMap(sections.getOrDefault(name, Map.of()));
    }

    /** A copy with {@code key} set in {@code section}, as if the file said so. */
    public IniFile with(String section, String key, String value) {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        sections.forEach((name, values) -> copy.put(name, new LinkedHashMap<>(values)));
        copy.computeIfAbsent(section, k -> new LinkedHashMap<>()).put(key, value);
        return new IniFile(source, copy);
    }

    public Iterable<String> sectionNames() {
        return Collections.unmodifiableSet(sections.keySet());
    }
}
