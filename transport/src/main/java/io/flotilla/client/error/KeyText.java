package io.flotilla.client.error;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Renders keys for messages and logs: quoted text when the bytes are printable UTF-8, otherwise
 * hex, so an operator can copy either form back into a tool. Long keys are cut short.
 */
public final class KeyText {
    private static final int MAX_SHOWN_BYTES = 64;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private KeyText() {
    }

    public static String of(byte[] key) {
        if (key == null) {
            return "<null>";
        }
        if (key.length == 0) {
            return "\"\"";
        }
        int shown = Math.min(key.length, MAX_SHOWN_BYTES);
        String suffix = shown < key.length ? "...(" + key.length + " bytes)" : "";
        String text = printableUtf8(key, shown);
        if (text != null) {
            return '"' + text + '"' + suffix;
        }
        StringBuilder hex = new StringBuilder(2 + shown * 2).append("0x");
        for (int i = 0; i < shown; i++) {
            hex.append(HEX[(key[i] >> 4) & 0xf]).append(HEX[key[i] & 0xf]);
        }
        return hex.append(suffix).toString();
    }

    public static String of(ByteString key) {
        return key == null ? "<null>" : of(key.toByteArray());
    }

    /** The text when the first {@code length} bytes decode as UTF-8 without control characters. */
    private static String printableUtf8(byte[] key, int length) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            // A cut in the middle of a multi-byte character also lands here; hex is fine then.
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '"' || c == '\\') {
                return null;
            }
        }
        return text;
    }
}
