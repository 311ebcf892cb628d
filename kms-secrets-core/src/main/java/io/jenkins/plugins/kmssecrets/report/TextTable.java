package io.jenkins.plugins.kmssecrets.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table for people: a header row, left-aligned columns padded to their widest cell, two spaces between
 * columns, no trailing spaces. Cells are single-line (line breaks become spaces).
 *
 * @since 0.1.0
 */
public final class TextTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... header) {
        this.header = List.of(header);
    }

    /** Adds a row; {@code null} cells print as {@code -}. */
    public TextTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(TextTable::cell).toList());
        return this;
    }

    private static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        String text = value.toString().replace('\r', ' ').replace('\n', ' ');
        return text.isEmpty() ? "-" : text;
    }

    /** The rendered table, each line ending with {@code \n}. */
    public String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, widths);
        for (List<String> row : rows) {
            line(sb, row, widths);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append("  ");
            }
            line.append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length()));
            }
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    @Override
    public String toString() {
        return render();
    }
}
