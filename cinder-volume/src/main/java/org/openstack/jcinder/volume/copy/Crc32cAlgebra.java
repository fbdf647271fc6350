package org.openstack.jcinder.volume.copy;

/**
 * CRC32C of a concatenation from the CRC32C of its parts, without their bytes: a hole of a sparse volume is
 * accounted for by its length alone, in time logarithmic in that length, instead of reading gigabytes of zeros
 * to checksum them. The values are those of {@link java.util.zip.CRC32C} (the Castagnoli polynomial, reflected,
 * pre- and post-inverted), so a checksum built here equals one computed over the real bytes.
 *
 * <p>The arithmetic is over GF(2) modulo the CRC polynomial, in the reflected bit order the CRC register uses
 * (bit 31 holds the coefficient of x^0): a CRC register advanced over n zero bytes is the register times
 * x^(8n) mod P, and a CRC is linear in its register, which gives both {@link #combine} and {@link #appendZeros}.
 */
final class Crc32cAlgebra {

    /** The Castagnoli polynomial, reflected. */
    private static final int POLY = 0x82F63B78;
    /** x^0 in the reflected representation. */
    private static final int ONE = 0x80000000;
    private static final int INVERT = 0xFFFFFFFF;
    /** X2N[k] = x^(2^k) mod P, for every k a byte count (below 2^63, times 8) can need. */
    private static final int[] X2N = new int[3 + 64];

    static {
        X2N[0] = ONE >>> 1; // x^1
        for (int k = 1; k < X2N.length; k++) {
            X2N[k] = multiply(X2N[k - 1], X2N[k - 1]);
        }
    }

    private Crc32cAlgebra() {
    }

    /** The CRC32C of A followed by B, from the CRC32C of each and the length of B. */
    static long combine(long crcA, long crcB, long lengthB) {
        int shifted = multiply(xPower8n(lengthB), (int) crcA);
        return Integer.toUnsignedLong(shifted ^ (int) crcB);
    }

    /** The CRC32C of A followed by {@code zeros} zero bytes, from the CRC32C of A ({@code 0} for empty A). */
    static long appendZeros(long crcA, long zeros) {
        if (zeros == 0) {
            return crcA;
        }
        int register = (int) crcA ^ INVERT;
        return Integer.toUnsignedLong(multiply(xPower8n(zeros), register) ^ INVERT);
    }

    /**
     * The CRC32C of {@code [from, to)} from the CRC32C of pieces of it ({@code {start, length}}, in order, not
     * overlapping): what lies between and around them counted as zeros.
     */
    static long ofPieces(java.util.List<long[]> pieces, long[] crcs, long from, long to) {
        long crc = 0;
        long pos = from;
        for (int i = 0; i < pieces.size(); i++) {
            long start = pieces.get(i)[0];
            long len = pieces.get(i)[1];
            crc = combine(appendZeros(crc, start - pos), crcs[i], len);
            pos = start + len;
        }
        return appendZeros(crc, to - pos);
    }

    /** x^(8n) mod P: n bytes' worth of shifts of the register. */
    private static int xPower8n(long n) {
        int p = ONE;
        int k = 3; // 8n = n * 2^3
        while (n != 0) {
            if ((n & 1) != 0) {
                p = multiply(X2N[k], p);
            }
            n >>>= 1;
            k++;
        }
        return p;
    }

    /** a(x) * b(x) mod P, both reflected. */
    private static int multiply(int a, int b) {
        int product = 0;
        for (int m = ONE; m != 0 && a != 0; m >>>= 1) {
            if ((a & m) != 0) {
                product ^= b;
                a ^= m;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
        return product;
    }
}
