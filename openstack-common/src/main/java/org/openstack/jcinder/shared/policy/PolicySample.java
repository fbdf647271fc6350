package org.openstack.jcinder.shared.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A sample policy file as oslopolicy-sample-generator writes it: every registered rule commented out with its
 * default, each after its description (wrapped at 70 columns) and the API calls that check it. Rules appear
 * feature by feature, the base rules first.
 */
public final class PolicySample {

    private static final int WIDTH = 70;

    private PolicySample() {
    }

    /** The file's text; {@code first} is the source whose rules come first (the base rules), may be null. */
    public static String render(List<? extends PolicyRuleSource> sources, Class<?> first) {
        List<PolicyRuleSource> ordered = new ArrayList<>(sources);
        ordered.sort(Comparator.<PolicyRuleSource, Boolean>comparing(s -> s.getClass() != first)
                .thenComparing(s -> s.getClass().getName()));
        StringBuilder out = new StringBuilder();
        for (PolicyRuleSource source : ordered) {
            for (RuleDefault rule : source.rules()) {
                for (String line : wrap(rule.description())) {
                    out.append("# ").append(line).append('\n');
                }
                for (String op : rule.operations()) {
                    int space = op.indexOf(' ');
                    out.append("# ").append(op, 0, space).append("  ").append(op.substring(space + 1)).append('\n');
                }
                out.append("#\"").append(rule.name()).append("\": \"").append(rule.checkString()).append("\"\n\n");
            }
        }
        return out.toString();
    }

    private static List<String> wrap(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
