package io.fraudcep.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule's {@code summary}: text with {@code {expression}} placeholders, e.g. <code>
 * "{count(small)} card payments under {$smallBelow} within {span}."</code> Braces cannot be nested
 * or escaped.
 */
public final class SummaryTemplate implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A piece of a template: literal text or a placeholder. */
    public sealed interface Part extends Serializable permits Text, Placeholder {}

    /**
     * Literal text, printed as is.
     *
     * @param text the text
     */
    public record Text(String text) implements Part {}

    /**
     * A placeholder.
     *
     * @param expression the expression between the braces, as written
     * @param column 1-based column of the expression's first character in the template
     */
    public record Placeholder(String expression, int column) implements Part {}

    private final List<Part> parts;

    private SummaryTemplate(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * Splits a template into text and placeholders.
     *
     * @throws IllegalArgumentException naming the column of an unmatched or empty brace
     */
    public static SummaryTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int close = template.indexOf('}', i);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new IllegalArgumentException(
                        "column " + (close + 1) + ": '}' without a '{' before it");
            }
            if (open < 0) {
                parts.add(new Text(template.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(new Text(template.substring(i, open)));
            }
            int nested = template.indexOf('{', open + 1);
            if (close < 0 || (nested >= 0 && nested < close)) {
                throw new IllegalArgumentException(
                        "column " + (open + 1) + ": '{' without a '}' after it");
            }
            String expression = template.substring(open + 1, close);
            if (expression.isBlank()) {
                throw new IllegalArgumentException(
                        "column " + (open + 1) + ": empty placeholder {}");
            }
            parts.add(new Placeholder(expression, open + 2));
            i = close + 1;
        }
        return new SummaryTemplate(parts);
    }

    /** The parts in order. */
    public List<Part> parts() {
        return parts;
    }

    /** The placeholders' expressions in order, each once. */
    public List<String> placeholders() {
        List<String> out = new ArrayList<>();
        for (Part p : parts) {
            if (p instanceof Placeholder ph && !out.contains(ph.expression())) {
                out.add(ph.expression());
            }
        }
        return out;
    }
}
