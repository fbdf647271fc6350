package org.openstack.jcinder.volume.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

/** The algebra gives exactly what CRC32C over the real bytes gives. */
class Crc32cAlgebraTest {

    @Test
    void combiningTheChecksumsOfTwoPartsEqualsTheChecksumOfBoth() {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] a = new byte[random.nextInt(3000)];
            byte[] b = new byte[random.nextInt(3000)];
            random.nextBytes(a);
            random.nextBytes(b);
            assertThat(Crc32cAlgebra.combine(crc(a), crc(b), b.length)).isEqualTo(crc(concat(a, b)));
        }
    }

    @Test
    void zerosAppendedByLengthEqualZerosChecksummedByteByByte() {
        Random random = new Random(11);
        for (int zeros : new int[] {0, 1, 7, 8, 512, 4096, 65_537, 1 << 20, (1 << 22) + 3}) {
            byte[] a = new byte[random.nextInt(100)];
            random.nextBytes(a);
            assertThat(Crc32cAlgebra.appendZeros(crc(a), zeros)).as("%d zeros", zeros)
                    .isEqualTo(crc(concat(a, new byte[zeros])));
            assertThat(Crc32cAlgebra.appendZeros(0, zeros)).isEqualTo(crc(new byte[zeros]));
        }
    }

    @Test
    void aHoleOfGigabytesIsTheSameAsItsPiecesInAnyOrderOfAppending() {
        // 4 GiB of zeros at once, or as 1 GiB four times, or as 4 KiB pieces of 1 MiB (spot-checked on a
        // length no test can afford to checksum byte by byte).
        long whole = Crc32cAlgebra.appendZeros(0, 4L << 30);
        long byGib = 0;
        for (int i = 0; i < 4; i++) {
            byGib = Crc32cAlgebra.appendZeros(byGib, 1L << 30);
        }
        assertThat(whole).isEqualTo(byGib);
        long piece = crc(new byte[1 << 20]);
        long byMib = 0;
        for (int i = 0; i < 4096; i++) {
            byMib = Crc32cAlgebra.combine(byMib, piece, 1 << 20);
        }
        assertThat(byMib).isEqualTo(whole);
        assertThat(whole).isNotEqualTo(Crc32cAlgebra.appendZeros(0, (4L << 30) - 1));
    }

    private static long crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
