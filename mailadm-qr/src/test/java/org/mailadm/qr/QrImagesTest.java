package org.mailadm.qr;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class QrImagesTest {
    static final String PAYLOAD = "DCACCOUNT:https://mailadm.example.org/new_email?t=1d_r84EW3N8hEKk&n=oneday";

    static String decode(BufferedImage image) throws Exception {
        return new QRCodeReader()
                .decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
                .getText();
    }

    @Test
    void pngCard_decodesToThePayload_withTextBelow() throws Exception {
        BufferedImage card = ImageIO.read(
                new ByteArrayInputStream(QrImages.png(PAYLOAD, List.of("Scan with Delta Chat", "x".repeat(200)))));
        assertThat(decode(card)).isEqualTo(PAYLOAD);
        assertThat(card.getHeight()).isGreaterThan(card.getWidth() + 100);
    }

    @Test
    void terminalRendering_decodesToThePayload() throws Exception {
        List<String> lines = QrImages.terminal(PAYLOAD).lines().toList();
        int scale = 4;
        int width = lines.get(0).length();
        BufferedImage img = new BufferedImage(width * scale, lines.size() * 2 * scale, BufferedImage.TYPE_INT_RGB);
        for (int row = 0; row < lines.size(); row++) {
            String line = lines.get(row);
            for (int x = 0; x < width; x++) {
                char c = line.charAt(x);
                // '█' light/light, '▀' light top, '▄' light bottom, ' ' dark/dark (as a dark-on-light terminal shows
                // it)
                boolean topLight = c == '█' || c == '▀';
                boolean bottomLight = c == '█' || c == '▄';
                paint(img, x, row * 2, scale, topLight);
                paint(img, x, row * 2 + 1, scale, bottomLight);
            }
        }
        assertThat(decode(img)).isEqualTo(PAYLOAD);
    }

    private static void paint(BufferedImage img, int mx, int my, int scale, boolean light) {
        int rgb = light ? 0xFFFFFF : 0x000000;
        for (int y = my * scale; y < (my + 1) * scale; y++) {
            for (int x = mx * scale; x < (mx + 1) * scale; x++) {
                img.setRGB(x, y, rgb);
            }
        }
    }
}
