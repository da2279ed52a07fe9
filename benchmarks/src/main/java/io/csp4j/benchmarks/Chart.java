package io.csp4j.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws the chart of docs/benchmarks.md: one panel per scenario (W1-W4), one horizontal bar per
 * implementation, csp4j in blue and peers in grey, with the error as a whisker; shorter is faster.
 * Input: the tab-separated file {@code report.py} writes (scenario, label, kind csp4j|peer, score,
 * error, unit), one row per bar, in drawing order. Headless (Java2D, no display needed).
 *
 * {@snippet :
 * // java -Djava.awt.headless=true -cp ... io.csp4j.benchmarks.Chart target/chart.tsv docs/benchmarks-w1-w4.png
 * }
 */
public final class Chart {

    private static final int WIDTH = 1000;
    private static final int BAR = 16;
    private static final int GAP = 4;
    private static final int LABEL_W = 300;
    private static final int MARGIN = 20;
    private static final Color CSP4J = new Color(0x2f6db5);
    private static final Color PEER = new Color(0x9a9a9a);

    private Chart() {
    }

    private record Bar(String label, boolean csp4j, double score, double error, String unit) {
    }

    /** Where {@code v} falls on a log axis from {@code lo} to {@code hi} that is {@code width} wide. */
    private static int x(double v, double lo, double hi, int width) {
        if (v <= lo) {
            return 0;
        }
        return (int) Math.round(Math.log(v / lo) / Math.log(hi / lo) * width);
    }

    /**
     * Reads {@code args[0]} and writes the PNG to {@code args[1]}.
     *
     * @throws IllegalArgumentException if the arguments are missing or a row is malformed
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Chart CHART.tsv OUT.png");
        }
        Map<String, List<Bar>> panels = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 6) {
                throw new IllegalArgumentException("expected 6 tab-separated fields, got: " + line);
            }
            panels.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new Bar(f[1], f[2].equals("csp4j"),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), f[5]));
        }
        int height = MARGIN;
        for (List<Bar> bars : panels.values()) {
            height += 28 + bars.size() * (BAR + GAP) + 24;
        }
        height = Math.max(height + MARGIN, 100);
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        Font title = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        Font text = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        int y = MARGIN;
        for (Map.Entry<String, List<Bar>> panel : panels.entrySet()) {
            List<Bar> bars = panel.getValue();
            // Log scale: scores in one panel span several orders of magnitude.
            double min = Double.MAX_VALUE;
            double max = 0;
            for (Bar b : bars) {
                min = Math.min(min, b.score());
                max = Math.max(max, b.score());
            }
            double lo = Math.pow(10, Math.floor(Math.log10(Math.max(min, 1e-9))) );
            double hi = Math.pow(10, Math.ceil(Math.log10(Math.max(max, lo * 10))));
            String unit = bars.isEmpty() ? "" : bars.get(0).unit();
            g.setFont(title);
            g.setColor(Color.BLACK);
            g.drawString(panel.getKey() + "  (" + unit + ", log scale, shorter is faster)", MARGIN, y + 16);
            y += 28;
            int plotX = MARGIN + LABEL_W;
            int plotW = WIDTH - plotX - MARGIN - 90;
            g.setFont(text);
            FontMetrics fm = g.getFontMetrics();
            for (Bar b : bars) {
                int w = x(b.score(), lo, hi, plotW);
                g.setColor(Color.DARK_GRAY);
                g.drawString(b.label(), plotX - 8 - fm.stringWidth(b.label()), y + BAR - 4);
                g.setColor(b.csp4j() ? CSP4J : PEER);
                g.fillRect(plotX, y, Math.max(w, 1), BAR);
                // The error whisker, clipped to the plot.
                int left = x(b.score() - b.error(), lo, hi, plotW);
                int right = Math.min(x(b.score() + b.error(), lo, hi, plotW), plotW);
                if (b.error() > 0) {
                    g.setColor(Color.BLACK);
                    g.setStroke(new BasicStroke(1f));
                    g.drawLine(plotX + left, y + BAR / 2, plotX + right, y + BAR / 2);
                }
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%,.1f", b.score()), plotX + Math.max(w, right) + 6, y + BAR - 4);
                y += BAR + GAP;
            }
            y += 24;
        }
        g.dispose();
        Path out = Path.of(args[1]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ImageIO.write(img, "png", out.toFile());
    }
}
