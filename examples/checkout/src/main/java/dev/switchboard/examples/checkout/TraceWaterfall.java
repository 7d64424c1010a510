package dev.switchboard.examples.checkout;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.EventData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws an {@link OrderTrace} as a self-contained SVG waterfall: one row per span (the tree on the left,
 * indented by depth), a bar per span on a shared time axis, colored by service; producer spans ({@code send})
 * are drawn lighter than consumer spans ({@code process}); retries and dead letters are marked on their span.
 * The span bars are the only {@code rect} elements (each with a {@code title} for a tooltip).
 */
final class TraceWaterfall {
    private static final int LABEL_X = 16;
    private static final int SPAN_X = 150;
    private static final int MIN_CHART_X = 430;
    private static final int CHART_WIDTH = 470;
    private static final int RIGHT_MARGIN = 420;
    /** An estimate of the width of a character at 12 px, to keep the span names clear of the bars. */
    private static final double CHAR_WIDTH = 7.0;
    private static final int TOP = 100;
    private static final int ROW = 26;
    private static final int BAR = 14;
    private static final String FONT = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\"";
    private static final Map<String, String> SERVICE_COLORS = Map.of(
            "checkout-driver", "#6b7280", "orders", "#8b5cf6", "payments", "#2563eb",
            "inventory", "#16a34a", "shipping", "#ea580c");
    private static final List<String> OTHER_COLORS = List.of("#db2777", "#0891b2", "#ca8a04", "#4b5563");

    private TraceWaterfall() {
    }

    /** Writes the SVG of {@code trace} to {@code file}, creating its folder. */
    static void write(OrderTrace trace, String subtitle, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, svg(trace, subtitle), StandardCharsets.UTF_8);
    }

    /** The SVG document of {@code trace}. */
    static String svg(OrderTrace trace, String subtitle) {
        List<OrderTrace.Row> rows = trace.rows();
        Map<String, String> colors = colors(trace.services());
        double total = Math.max(trace.durationMs(), 0.001);
        double tick = tickStep(total);
        double axisEnd = Math.ceil(total / tick) * tick;
        int labelEnd = rows.stream().mapToInt(row -> SPAN_X + row.depth() * 12
                + (int) Math.ceil(((row.depth() == 0 ? 0 : 2) + row.name().length()) * CHAR_WIDTH)).max().orElse(0);
        int chartX = Math.max(MIN_CHART_X, labelEnd + 16);
        int chartRight = chartX + CHART_WIDTH;
        int width = chartRight + RIGHT_MARGIN;
        double scale = (chartRight - chartX) / axisEnd;
        int height = TOP + rows.size() * ROW + 40;

        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" %s font-size=\"12\">%n", width, height, width, height, FONT));
        svg.append(String.format(Locale.ROOT, "  <path d=\"M0 0H%dV%dH0Z\" fill=\"#ffffff\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"26\" font-size=\"17\" font-weight=\"bold\" fill=\"#111827\">%s</text>%n",
                LABEL_X, escape("Order " + trace.orderId() + ": one trace across the checkout services")));
        svg.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"46\" fill=\"#4b5563\">%s</text>%n", LABEL_X,
                escape(subtitle + " · trace " + trace.traceId() + " · " + rows.size() + " spans · "
                        + String.format(Locale.ROOT, "%.1f ms", trace.durationMs()))));

        // legend: one swatch per service, then the kinds and the markers
        int x = LABEL_X;
        for (Map.Entry<String, String> service : colors.entrySet()) {
            svg.append(String.format(Locale.ROOT, "  <circle cx=\"%d\" cy=\"66\" r=\"6\" fill=\"%s\"/>%n", x + 6, service.getValue()));
            svg.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"70\" fill=\"#111827\">%s</text>%n", x + 16, escape(service.getKey())));
            x += 28 + service.getKey().length() * 7;
        }
        x += 12;
        svg.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"70\" fill=\"#4b5563\">solid: process (consumer) · light: send (producer)</text>%n", x));
        x += 330;
        svg.append(String.format(Locale.ROOT, "  %s%n", diamond(x + 6, 66, "#dc2626")));
        svg.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"70\" fill=\"#4b5563\">retry</text>%n", x + 16));
        x += 56;
        svg.append(String.format(Locale.ROOT, "  %s%n", cross(x + 6, 66)));
        svg.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"70\" fill=\"#4b5563\">dead letter</text>%n", x + 16));

        // time axis and grid
        int gridBottom = TOP + rows.size() * ROW;
        for (int i = 0; i * tick <= axisEnd + tick / 1000; i++) {
            double at = chartX + i * tick * scale;
            svg.append(String.format(Locale.ROOT, "  <line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e5e7eb\"/>%n",
                    at, TOP - 8, at, gridBottom));
            svg.append(String.format(Locale.ROOT, "  <text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#6b7280\" font-size=\"11\">%s</text>%n",
                    at, TOP - 12, tickLabel(i * tick)));
        }
        svg.append(String.format(Locale.ROOT, "  <line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9ca3af\"/>%n",
                chartX, TOP - 8, chartRight, TOP - 8));

        long traceStart = rows.stream().mapToLong(r -> r.span().getStartEpochNanos()).min().orElse(0);
        for (int i = 0; i < rows.size(); i++) {
            OrderTrace.Row row = rows.get(i);
            int rowTop = TOP + i * ROW;
            int textY = rowTop + ROW / 2 + 4;
            String color = colors.get(row.service());
            if (i % 2 == 1) {
                svg.append(String.format(Locale.ROOT, "  <path d=\"M0 %dH%dV%dH0Z\" fill=\"#f9fafb\"/>%n", rowTop, width, rowTop + ROW));
            }
            svg.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"%d\" font-weight=\"bold\" fill=\"%s\">%s</text>%n",
                    LABEL_X, textY, color, escape(row.service())));
            svg.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"%d\" fill=\"#111827\">%s</text>%n",
                    SPAN_X + row.depth() * 12, textY, escape((row.depth() == 0 ? "" : "└ ") + row.name())));

            double barX = chartX + row.startMs() * scale;
            double barW = Math.max(2, row.durationMs() * scale);
            boolean producer = row.span().getKind() == SpanKind.PRODUCER;
            String tooltip = row.service() + " · " + row.name() + " (" + row.kind() + ") · start "
                    + formatMs(row.startMs()) + " · " + formatMs(row.durationMs())
                    + (row.details().isEmpty() ? "" : " · " + row.details());
            svg.append(String.format(Locale.ROOT, "  <rect class=\"span\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"2\" "
                            + "fill=\"%s\" fill-opacity=\"%s\" stroke=\"%s\"><title>%s</title></rect>%n",
                    barX, rowTop + (ROW - BAR) / 2, barW, BAR, color, producer ? "0.35" : "0.9", color, escape(tooltip)));
            for (EventData event : row.span().getEvents()) {
                double eventX = chartX + (event.getEpochNanos() - traceStart) / 1_000_000.0 * scale;
                int eventY = rowTop + ROW / 2;
                if (event.getName().equals("retry")) {
                    svg.append("  ").append(diamond(eventX, eventY, "#dc2626")).append('\n');
                } else if (event.getName().equals("dead_letter")) {
                    svg.append("  ").append(cross(eventX, eventY)).append('\n');
                }
            }
            String label = label(row);
            double labelX = barX + barW + 6;
            boolean fitsRight = labelX + label.length() * 6.2 <= width - 8;
            svg.append(String.format(Locale.ROOT, "  <text x=\"%.1f\" y=\"%d\" fill=\"#374151\" font-size=\"11\"%s>%s</text>%n",
                    fitsRight ? labelX : barX - 6, textY, fitsRight ? "" : " text-anchor=\"end\"", escape(label)));
        }
        svg.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"%d\" fill=\"#6b7280\" font-size=\"11\">%s</text>%n", LABEL_X,
                height - 14, escape("Rows: spans, each parent above its children; bars: start and duration, in ms from the first span's start. "
                        + "Hover a bar for its details.")));
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** The text beside a bar: its duration, and what was unusual: a later attempt, an exception, a retry, a dead letter. */
    private static String label(OrderTrace.Row row) {
        StringBuilder label = new StringBuilder(formatMs(row.durationMs()));
        long attempt = row.attempt().orElse(1L);
        boolean unusual = attempt > 1 || row.outcome().filter(outcome -> !outcome.equals("acked")).isPresent();
        if (unusual) {
            label.append(" · attempt ").append(attempt);
        }
        for (EventData event : row.span().getEvents()) {
            switch (event.getName()) {
                case "exception" -> {
                    String type = event.getAttributes().get(OrderTrace.EXCEPTION_TYPE);
                    label.append(" · ").append(type == null ? "exception" : type.substring(type.lastIndexOf('.') + 1));
                }
                case "retry" -> label.append(" · retry in ").append(event.getAttributes().get(OrderTrace.RETRY_DELAY_MS)).append(" ms");
                case "dead_letter" -> label.append(" · dead letter (")
                        .append(event.getAttributes().get(OrderTrace.DEAD_LETTER_REASON)).append(')');
                default -> { }
            }
        }
        return label.toString();
    }

    private static Map<String, String> colors(List<String> services) {
        Map<String, String> colors = new LinkedHashMap<>();
        int other = 0;
        for (String service : services) {
            String color = SERVICE_COLORS.get(service);
            colors.put(service, color != null ? color : OTHER_COLORS.get(other++ % OTHER_COLORS.size()));
        }
        return colors;
    }

    /** A step of 1, 2 or 5 times a power of ten that cuts {@code total} into about eight ticks. */
    static double tickStep(double total) {
        double rough = total / 8;
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= rough) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    private static String tickLabel(double ms) {
        if (ms == 0) {
            return "0";
        }
        if (ms >= 1000) {
            return String.format(Locale.ROOT, ms % 1000 == 0 ? "%.0f s" : "%.1f s", ms / 1000);
        }
        return formatMs(ms);
    }

    private static String formatMs(double ms) {
        if (ms == Math.rint(ms) && ms >= 1) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        return ms >= 10 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%.2f ms", ms);
    }

    private static String diamond(double x, double y, String color) {
        return String.format(Locale.ROOT, "<path d=\"M%.1f %.1fl5 5l-5 5l-5 -5Z\" fill=\"%s\" stroke=\"#ffffff\"/>", x, y - 5, color);
    }

    private static String cross(double x, double y) {
        return String.format(Locale.ROOT, "<path d=\"M%.1f %.1fl8 8M%.1f %.1fl-8 8\" stroke=\"#111827\" stroke-width=\"2\"/>",
                x - 4, y - 4, x + 4, y - 4);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
