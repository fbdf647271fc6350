package org.openstack.jcinder.shared.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How an option's text becomes its value, and back (a changed value is written into a file view and read again,
 * so it is checked like one an operator wrote). A refused text throws {@link IllegalArgumentException} whose
 * message is the problem as the one-line start-up error states it.
 */
public interface OptionType<T> {

    T parse(String text);

    String format(T value);

    static OptionType<String> string() {
        return new OptionType<>() {
            @Override
            public String parse(String text) {
                return text;
            }

            @Override
            public String format(String value) {
                return value;
            }
        };
    }

    static OptionType<Integer> integer(int min, int max) {
        return new OptionType<>() {
            @Override
            public Integer parse(String text) {
                try {
                    int parsed = Integer.parseInt(text);
                    if (parsed >= min && parsed <= max) {
                        return parsed;
                    }
                } catch (NumberFormatException e) {
                    // reported below, with the bounds
                }
                throw new IllegalArgumentException("'" + text + "' is not an integer between " + min + " and " + max);
            }

            @Override
            public String format(Integer value) {
                return value.toString();
            }
        };
    }

    static OptionType<Long> longInteger(long min, long max) {
        return new OptionType<>() {
            @Override
            public Long parse(String text) {
                try {
                    long parsed = Long.parseLong(text);
                    if (parsed >= min && parsed <= max) {
                        return parsed;
                    }
                } catch (NumberFormatException e) {
                    // reported below, with the bounds
                }
                throw new IllegalArgumentException("'" + text + "' is not an integer between " + min + " and " + max);
            }

            @Override
            public String format(Long value) {
                return value.toString();
            }
        };
    }

    /** A decimal number (oslo.config's FloatOpt). */
    static OptionType<Double> decimal(double min, double max) {
        return new OptionType<>() {
            @Override
            public Double parse(String text) {
                try {
                    double parsed = Double.parseDouble(text);
                    if (parsed >= min && parsed <= max) {
                        return parsed;
                    }
                } catch (NumberFormatException e) {
                    // reported below, with the bounds
                }
                throw new IllegalArgumentException("'" + text + "' is not a number between " + min + " and " + max);
            }

            @Override
            public String format(Double value) {
                return value.toString();
            }
        };
    }

    /** oslo.config's spellings of a boolean. */
    static OptionType<Boolean> bool() {
        return new OptionType<>() {
            @Override
            public Boolean parse(String text) {
                return switch (text.toLowerCase()) {
                    case "true", "yes", "on", "1" -> true;
                    case "false", "no", "off", "0" -> false;
                    default -> throw new IllegalArgumentException("'" + text + "' is not a boolean");
                };
            }

            @Override
            public String format(Boolean value) {
                return value.toString();
            }
        };
    }

    /** Comma-separated, blanks dropped (oslo.config's ListOpt). */
    static OptionType<List<String>> list() {
        return new OptionType<>() {
            @Override
            public List<String> parse(String text) {
                List<String> out = new ArrayList<>();
                for (String part : text.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.strip());
                    }
                }
                return List.copyOf(out);
            }

            @Override
            public String format(List<String> value) {
                return String.join(", ", value);
            }
        };
    }

    /** One of a fixed set of words (oslo.config's {@code choices}). */
    static OptionType<String> choice(Collection<String> choices) {
        List<String> words = List.copyOf(choices);
        String expected = words.size() == 1 ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
        return new OptionType<>() {
            @Override
            public String parse(String text) {
                if (!choices.contains(text)) {
                    throw new IllegalArgumentException("'" + text + "' is not " + expected);
                }
                return text;
            }

            @Override
            public String format(String value) {
                return value;
            }
        };
    }
}
