package io.flotilla.bench.load.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Throughput and latency over time as one standalone SVG file: no scripts, no fonts or
 * libraries fetched from anywhere, so it opens the same in any browser, offline, years later.
 * Top panel: operations per second. Bottom panel: response-time p50, p99 and max per
 * interval on a logarithmic scale (a tail is orders of magnitude above the median).
 */
public final class SvgPlot {
    private static final int WIDTH = 960;
    private static final int PANEL_HEIGHT = 260;
    private static final int LEFT = 80;
    private static final int RIGHT = 150;
    private static final int TOP = 50;
    private static final int GAP = 60;
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#d62728"};

    private SvgPlot() {
    }

    public static void write(Path path, String title, List<Second> seconds) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(path, render(title, seconds), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    static String render(String title, List<Second> seconds) {
        int height = TOP + 2 * PANEL_HEIGHT + GAP + 50;
        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", LEFT, escape(title)));
        double xMax = seconds.isEmpty() ? 1 : Math.max(1, seconds.get(seconds.size() - 1).atSeconds());
        Panel throughput = new Panel(TOP, "throughput (ops/s)", false, xMax,
                0, niceCeiling(max(seconds, Second::opsPerSecond)));
        throughput.draw(s);
        throughput.line(s, seconds, Second::opsPerSecond, COLORS[0], "ops/s", 0);

        double lo = Math.max(0.01, min(seconds, Second::p50Millis));
        double hi = Math.max(lo * 10, max(seconds, Second::maxMillis));
        Panel latency = new Panel(TOP + PANEL_HEIGHT + GAP, "response time (ms, log scale)", true, xMax,
                Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi))));
        latency.draw(s);
        latency.line(s, seconds, Second::p50Millis, COLORS[0], "p50", 0);
        latency.line(s, seconds, Second::p99Millis, COLORS[1], "p99", 1);
        latency.line(s, seconds, Second::maxMillis, COLORS[2], "max", 2);
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">seconds since the run "
                + "started</text>%n", LEFT + (WIDTH - LEFT - RIGHT) / 2, height - 12));
        s.append("</svg>\n");
        return s.toString();
    }

    /** One chart area with its axes; maps data to pixels. */
    private record Panel(int top, String label, boolean log, double xMax, double yMin, double yMax) {
        int plotWidth() {
            return WIDTH - LEFT - RIGHT;
        }

        double x(double seconds) {
            return LEFT + plotWidth() * seconds / xMax;
        }

        double y(double v) {
            double f;
            if (log) {
                double c = Math.max(v, yMin);
                f = (Math.log10(c) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin));
            } else {
                f = yMax <= yMin ? 0 : (v - yMin) / (yMax - yMin);
            }
            return top + PANEL_HEIGHT - PANEL_HEIGHT * Math.min(1, Math.max(0, f));
        }

        void draw(StringBuilder s) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT,
                    top - 8, escape(label)));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                    + "stroke=\"#888\"/>%n", LEFT, top, plotWidth(), PANEL_HEIGHT));
            if (log) {
                for (double v = yMin; v <= yMax * 1.0001; v *= 10) {
                    tickY(s, v, formatValue(v));
                }
            } else {
                for (int i = 0; i <= 4; i++) {
                    double v = yMin + (yMax - yMin) * i / 4;
                    tickY(s, v, formatValue(v));
                }
            }
            double step = niceStep(xMax / 8);
            for (double t = 0; t <= xMax + 1e-9; t += step) {
                double px = x(t);
                s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n",
                        px, top, px, top + PANEL_HEIGHT));
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px,
                        top + PANEL_HEIGHT + 16, formatValue(t)));
            }
        }

        private void tickY(StringBuilder s, double v, String text) {
            double py = y(v);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
                    LEFT, py, LEFT + plotWidth(), py));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6,
                    py + 4, text));
        }

        void line(StringBuilder s, List<Second> data, ToDoubleFunction<Second> f, String color, String name, int row) {
            StringBuilder points = new StringBuilder();
            for (Second p : data) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.atSeconds()), y(f.applyAsDouble(p))));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" "
                    + "points=\"%s\"/>%n", color, points.toString().trim()));
            int ly = top + 14 + 18 * row;
            int lx = LEFT + plotWidth() + 14;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/>%n", lx, ly - 4, lx + 22, ly - 4, color));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 28, ly, escape(name)));
        }
    }

    private static double max(List<Second> d, ToDoubleFunction<Second> f) {
        return d.stream().mapToDouble(f).max().orElse(1);
    }

    private static double min(List<Second> d, ToDoubleFunction<Second> f) {
        return d.stream().mapToDouble(f).filter(v -> v > 0).min().orElse(0.01);
    }

    /** 1, 2 or 5 times a power of ten, at least v: axis ends and steps people can read. */
    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static double niceStep(double v) {
        return niceCeiling(Math.max(v, 1e-3));
    }

    private static String formatValue(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
