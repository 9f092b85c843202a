package io.relaymesh.application.rooms;

/**
 * Checks the base64 text of a {@code data} frame without decoding it (it is relayed as it came):
 * the standard or the URL-safe alphabet, padding optional but, when present, completing the last
 * group. Stateless.
 */
final class Base64Text {
    private Base64Text() {
    }

    /** The number of bytes {@code text} decodes to, or -1 when it is not base64. */
    static long decodedLength(String text) {
        int length = text.length();
        int padding = 0;
        while (padding < 2 && length - padding > 0 && text.charAt(length - padding - 1) == '=') {
            padding++;
        }
        int data = length - padding;
        if (padding > 0 && length % 4 != 0) {
            return -1;
        }
        if (data % 4 == 1) {
            return -1; // one character left over encodes no whole byte
        }
        for (int i = 0; i < data; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '-' || c == '_';
            if (!ok) {
                return -1;
            }
        }
        return (long) data * 3 / 4;
    }
}
