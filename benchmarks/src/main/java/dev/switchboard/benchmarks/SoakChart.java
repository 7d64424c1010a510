package dev.switchboard.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** The soak's chart: heap after GC, live threads and open file descriptors over time, faults as dashed lines. */
final class SoakChart {
    private static final int WIDTH = 900;
    private static final int PANEL = 170;
    private static final int LEFT = 80;

    private SoakChart() {
    }

    static void draw(List<Soak.Sample> samples, List<Double> faults, String title, Path png) throws IOException {
        int height = 70 + 3 * (PANEL + 40);
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(title.length() > 150 ? title.substring(0, 150) + "…" : title, 10, 20);
        double maxMinute = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1).minute());
        panel(g, samples, faults, maxMinute, 50, "heap after GC (MiB)", Soak.Sample::heapMiB);
        panel(g, samples, faults, maxMinute, 50 + PANEL + 40, "live threads", s -> s.threads());
        panel(g, samples, faults, maxMinute, 50 + 2 * (PANEL + 40), "open file descriptors", s -> s.fds());
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void panel(Graphics2D g, List<Soak.Sample> samples, List<Double> faults, double maxMinute, int top,
                              String label, ToDoubleFunction<Soak.Sample> value) {
        int plotWidth = WIDTH - LEFT - 30;
        double max = samples.stream().mapToDouble(value).max().orElse(1) * 1.2 + 1;
        g.setColor(Color.BLACK);
        g.drawString(label, LEFT, top + 12);
        int bottom = top + PANEL;
        g.drawLine(LEFT, top + 20, LEFT, bottom);
        g.drawLine(LEFT, bottom, LEFT + plotWidth, bottom);
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            int y = bottom - (int) Math.round((bottom - top - 20) * i / 4.0);
            g.drawString(String.format(Locale.ROOT, "%.0f", v), 10, y + 4);
        }
        for (int m = 0; m <= (int) maxMinute; m++) {
            int x = LEFT + (int) Math.round(plotWidth * m / maxMinute);
            g.drawString(m + "", x - 3, bottom + 14);
        }
        g.setColor(new Color(0xC62828));
        g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
        for (double fault : faults) {
            int x = LEFT + (int) Math.round(plotWidth * fault / maxMinute);
            g.drawLine(x, top + 20, x, bottom);
        }
        g.setStroke(new BasicStroke(2));
        g.setColor(new Color(0x1565C0));
        int prevX = -1;
        int prevY = -1;
        for (Soak.Sample sample : samples) {
            int x = LEFT + (int) Math.round(plotWidth * sample.minute() / maxMinute);
            int y = bottom - (int) Math.round((bottom - top - 20) * value.applyAsDouble(sample) / max);
            if (prevX >= 0) {
                g.drawLine(prevX, prevY, x, y);
            }
            prevX = x;
            prevY = y;
        }
        g.setStroke(new BasicStroke(1));
    }
}
