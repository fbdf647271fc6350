package org.openstack.jcinder.shared.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sample configuration file as an operator reads it, set against an {@link OptionCatalogue}. As in
 * oslo-config-generator's samples, {@code #name = value} (no space after {@code #}) is an option left at its
 * default, which it must show; {@code # text} is prose; {@code #[section]} is an example section.
 */
public final class SampleFile {

    private static final Pattern SECTION = Pattern.compile("^#?\\[([^\\]]+)]$");
    private static final Pattern OPTION = Pattern.compile("^(#?)([A-Za-z_][A-Za-z0-9_]*)\\s*=(.*)$");

    /** One option line; {@code commented} when it shows the default rather than setting a value. */
    public record Line(int number, String section, String name, String value, boolean commented) {
    }

    private final Path path;
    private final List<Line> lines;

    private SampleFile(Path path, List<Line> lines) {
        this.path = path;
        this.lines = lines;
    }

    public static SampleFile read(Path path) {
        List<String> text;
        try {
            text = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Line> out = new ArrayList<>();
        String section = null;
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i).strip();
            Matcher s = SECTION.matcher(line);
            Matcher o = OPTION.matcher(line);
            if (s.matches()) {
                section = s.group(1).strip();
            } else if (o.matches() && section != null) {
                out.add(new Line(i + 1, section, o.group(2), o.group(3).strip(), !o.group(1).isEmpty()));
            }
        }
        return new SampleFile(path, out);
    }

    public List<Line> lines() {
        return lines;
    }

    /**
     * What does not agree with {@code catalogue}: an option the sample shows in one of the catalogue's
     * sections that is not declared there; a declared option (not merely accepted) the sample never shows; a
     * commented option showing another value than its default. {@code group} maps a sample section to the
     * catalogue's section it is read with (a backend section to the backend options), null for a section
     * this catalogue does not cover.
     */
    public List<String> problems(OptionCatalogue catalogue, Function<String, String> group) {
        List<String> problems = new ArrayList<>();
        for (Line line : lines) {
            String section = group.apply(line.section());
            if (section == null) {
                continue;
            }
            Option<?> option = catalogue.all().stream()
                    .filter(o -> o.section().equals(section) && o.name().equals(line.name()))
                    .findFirst().orElse(null);
            if (option == null) {
                problems.add(where(line) + " is not a declared option of [" + section + "]");
            } else if (line.commented() && option.formattedDefault().isPresent()
                    && !option.formattedDefault().get().equals(line.value())) {
                problems.add(where(line) + " shows '" + line.value() + "' but the default is '"
                        + option.formattedDefault().get() + "'");
            }
        }
        for (Option<?> option : catalogue.all()) {
            boolean shown = lines.stream().anyMatch(l -> option.section().equals(group.apply(l.section()))
                    && option.name().equals(l.name()));
            if (!option.ignored() && !shown) {
                problems.add(path + ": [" + option.section() + "] " + option.name() + " is declared but the sample "
                        + "does not show it");
            }
        }
        return problems;
    }

    private String where(Line line) {
        return path + ":" + line.number() + ": [" + line.section() + "] " + line.name();
    }
}
