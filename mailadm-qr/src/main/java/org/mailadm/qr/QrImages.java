package org.mailadm.qr;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Renders QR codes: as a printable PNG card with explanatory text, and as text for a terminal.
 *
 * <p>Error correction is high (30 %), so a printed code survives creases and stains. Text is drawn
 * from an embedded bitmap font, so rendering needs no system fonts (the container image has none).
 * Thread-safe.
 */
public final class QrImages {
    private static final int GLYPH_W = 10;
    private static final int GLYPH_H = 18;
    private static final int[][] GLYPHS = loadGlyphs();

    private QrImages() {}

    /** The QR code's modules, with the standard 4-module quiet zone. */
    public static BitMatrix matrix(String payload) {
        try {
            return new QRCodeWriter()
                    .encode(
                            payload,
                            BarcodeFormat.QR_CODE,
                            0,
                            0,
                            Map.of(
                                    EncodeHintType.ERROR_CORRECTION,
                                    ErrorCorrectionLevel.H,
                                    EncodeHintType.CHARACTER_SET,
                                    "UTF-8",
                                    EncodeHintType.MARGIN,
                                    4));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode a QR code of " + payload.length() + " characters", e);
        }
    }

    /**
     * A white card: the QR code on top, the lines of text centred below it, each line wrapped to
     * the card's width.
     */
    public static BufferedImage card(String payload, List<String> lines) {
        BitMatrix m = matrix(payload);
        int module = Math.max(4, 600 / m.getWidth());
        int qrSize = m.getWidth() * module;
        int scale = 2;
        int charsPerLine = qrSize / (GLYPH_W * scale);
        List<String> wrapped = new ArrayList<>();
        for (String line : lines) {
            wrapped.addAll(wrap(line, charsPerLine));
        }
        int lineHeight = GLYPH_H * scale + 6;
        int height = qrSize + wrapped.size() * lineHeight + (wrapped.isEmpty() ? 0 : module * 4);
        BufferedImage img = new BufferedImage(qrSize, height, BufferedImage.TYPE_BYTE_BINARY);
        int white = 0xFFFFFF;
        int black = 0x000000;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < qrSize; x++) {
                img.setRGB(x, y, white);
            }
        }
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                if (m.get(x, y)) {
                    fill(img, x * module, y * module, module, module, black);
                }
            }
        }
        int top = qrSize;
        for (String line : wrapped) {
            int left = (qrSize - line.length() * GLYPH_W * scale) / 2;
            for (int i = 0; i < line.length(); i++) {
                drawGlyph(img, line.charAt(i), left + i * GLYPH_W * scale, top, scale, black);
            }
            top += lineHeight;
        }
        return img;
    }

    /** PNG bytes of {@link #card}. */
    public static byte[] png(String payload, List<String> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(card(payload, lines), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The QR code as text for a terminal: two modules per character with Unicode half blocks, dark
     * on light, so it scans from a terminal with a dark or a light theme.
     */
    public static String terminal(String payload) {
        BitMatrix m = matrix(payload);
        StringBuilder sb = new StringBuilder();
        for (int y = 0; y < m.getHeight(); y += 2) {
            for (int x = 0; x < m.getWidth(); x++) {
                boolean top = m.get(x, y);
                boolean bottom = y + 1 < m.getHeight() && m.get(x, y + 1);
                // Light is drawn as a block, dark as a space: terminals are mostly dark on light.
                sb.append(!top && !bottom ? '█' : !top ? '▀' : !bottom ? '▄' : ' ');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static List<String> wrap(String line, int width) {
        List<String> out = new ArrayList<>();
        String rest = printable(line);
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= 0) {
                cut = width;
            }
            out.add(rest.substring(0, cut).strip());
            rest = rest.substring(cut).strip();
        }
        out.add(rest);
        return out;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 32 && c < 127 ? c : '?');
        }
        return sb.toString();
    }

    private static void drawGlyph(BufferedImage img, char c, int left, int top, int scale, int rgb) {
        int[] rows = GLYPHS[c - 32];
        for (int y = 0; y < GLYPH_H; y++) {
            for (int x = 0; x < GLYPH_W; x++) {
                if ((rows[y] & (1 << (GLYPH_W - 1 - x))) != 0) {
                    fill(img, left + x * scale, top + y * scale, scale, scale, rgb);
                }
            }
        }
    }

    private static void fill(BufferedImage img, int x0, int y0, int w, int h, int rgb) {
        for (int y = y0; y < y0 + h && y < img.getHeight(); y++) {
            for (int x = Math.max(0, x0); x < x0 + w && x < img.getWidth(); x++) {
                img.setRGB(x, y, rgb);
            }
        }
    }

    private static int[][] loadGlyphs() {
        try (InputStream in = QrImages.class.getResourceAsStream("glyphs.txt")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .toList();
            int[][] glyphs = new int[lines.size()][GLYPH_H];
            for (int i = 0; i < lines.size(); i++) {
                for (int y = 0; y < GLYPH_H; y++) {
                    glyphs[i][y] = Integer.parseInt(lines.get(i).substring(y * 3, y * 3 + 3), 16);
                }
            }
            return glyphs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
