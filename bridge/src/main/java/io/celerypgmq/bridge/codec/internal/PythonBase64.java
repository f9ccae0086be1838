package io.celerypgmq.bridge.codec.internal;

import java.io.ByteArrayOutputStream;

/**
 * Base64 exactly as kombu decodes a message body: CPython's {@code binascii.a2b_base64} in its default, non-strict
 * mode. Characters outside the alphabet are skipped, a complete pad sequence ends the input, and a dangling data
 * character or missing padding is an error with CPython's own wording. Following the worker matters: a body it
 * accepts must decode here, and a body that makes it exit must be refused here.
 */
public final class PythonBase64 {
    private static final byte[] TABLE = new byte[256];

    static {
        java.util.Arrays.fill(TABLE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            TABLE[alphabet.charAt(i)] = (byte) i;
        }
    }

    private PythonBase64() {}

    /** Thrown with the message CPython's {@code binascii.Error} would carry. */
    public static final class InvalidBase64Exception extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidBase64Exception(String message) {
            super(message);
        }
    }

    public static byte[] decode(byte[] ascii) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ascii.length / 4 * 3 + 3);
        int quadPos = 0;
        int leftChar = 0;
        int pads = 0;
        for (byte b : ascii) {
            int c = b & 0xff;
            if (c == '=') {
                if (quadPos >= 2 && quadPos + ++pads >= 4) {
                    return out.toByteArray();
                }
                continue;
            }
            int v = TABLE[c];
            if (v < 0) {
                continue;
            }
            pads = 0;
            switch (quadPos) {
                case 0 -> {
                    quadPos = 1;
                    leftChar = v;
                }
                case 1 -> {
                    quadPos = 2;
                    out.write((leftChar << 2) | (v >> 4));
                    leftChar = v & 0x0f;
                }
                case 2 -> {
                    quadPos = 3;
                    out.write((leftChar << 4) | (v >> 2));
                    leftChar = v & 0x03;
                }
                default -> {
                    quadPos = 0;
                    out.write((leftChar << 6) | v);
                    leftChar = 0;
                }
            }
        }
        if (quadPos == 1) {
            throw new InvalidBase64Exception("Invalid base64-encoded string: number of data characters ("
                    + (out.size() / 3 * 4 + 1) + ") cannot be 1 more than a multiple of 4");
        }
        if (quadPos != 0) {
            throw new InvalidBase64Exception("Incorrect padding");
        }
        return out.toByteArray();
    }
}
