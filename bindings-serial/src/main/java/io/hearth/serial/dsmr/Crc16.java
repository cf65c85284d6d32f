package io.hearth.serial.dsmr;

/**
 * The checksum DSMR 4 and 5 put after the {@code !} of a telegram: CRC-16 with polynomial 0x8005
 * processed LSB first (0xA001 reflected), initial value 0, over every byte from {@code /} to
 * {@code !} inclusive.
 */
public final class Crc16 {

    private Crc16() {
    }

    public static int of(byte[] data, int offset, int length) {
        int crc = 0;
        for (int i = offset; i < offset + length; i++) {
            crc ^= data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
            }
        }
        return crc;
    }
}
