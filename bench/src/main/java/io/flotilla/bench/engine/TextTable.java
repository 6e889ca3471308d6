package io.flotilla.bench.engine;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain text table with aligned columns; every benchmark prints its figures with one. */
public final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final String[] header;

    public TextTable(String... header) {
        this.header = header;
    }

    public TextTable row(Object... cells) {
        String[] r = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            r[i] = i < cells.length ? format(cells[i]) : "";
        }
        rows.add(r);
        return this;
    }

    private static String format(Object o) {
        if (o == null) {
            return "-";
        }
        if (o instanceof Double d) {
            double a = Math.abs(d);
            return a == 0 ? "0" : a >= 1000 ? String.format("%,.0f", d) : a >= 10 ? String.format("%.1f", d)
                    : String.format("%.3f", d);
        }
        if (o instanceof Long || o instanceof Integer) {
            return String.format("%,d", ((Number) o).longValue());
        }
        return o.toString();
    }

    public void print(PrintStream out) {
        int[] w = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            w[i] = header[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        line(out, header, w);
        StringBuilder sep = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            sep.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        out.println(sep);
        for (String[] r : rows) {
            line(out, r, w);
        }
    }

    private static void line(PrintStream out, String[] cells, int[] w) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            s.append(i == 0 ? "" : "  ");
            // First column left-aligned (names), the rest right-aligned (figures).
            s.append(i == 0 ? String.format("%-" + w[i] + "s", cells[i]) : String.format("%" + w[i] + "s", cells[i]));
        }
        out.println(s.toString().stripTrailing());
    }
}
