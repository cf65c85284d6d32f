package io.hearth.core.bus;

/**
 * Checks that bytes are well-formed UTF-8 (RFC 3629), in place, byte by byte, without decoding
 * them into a string. The broker refuses a payload its publisher declared text (Payload Format
 * Indicator 1) that is not; the shadow service refuses such a request document.
 */
public final class Utf8Payload {

    private Utf8Payload() {
    }

    public static boolean wellFormed(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                min = 0x10000;
            } else {
                // 0x80..0xC1: a stray continuation byte or an overlong two-byte lead; 0xF5..: beyond U+10FFFF.
                return false;
            }
            if (i + length > bytes.length) {
                return false;
            }
            int code = b & (0xFF >> (length + 1));
            for (int k = 1; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if ((next & 0xC0) != 0x80) {
                    return false;
                }
                code = (code << 6) | (next & 0x3F);
            }
            boolean surrogate = code >= 0xD800 && code <= 0xDFFF;
            if (code < min || code > 0x10FFFF || surrogate) {
                return false;
            }
            i += length;
        }
        return true;
    }
}
