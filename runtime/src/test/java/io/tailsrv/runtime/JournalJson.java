package io.tailsrv.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code journalctl -o json} output: one JSON object per line, one
 * entry each. A field's value is a string; journalctl writes a value that is
 * not printable UTF-8 as an array of byte values, read back here as UTF-8
 * text, and a field that occurs more than once as an array of those, joined
 * here with newlines.
 */
final class JournalJson {

    private final String text;
    private int at;

    private JournalJson(String text) {
        this.text = text;
    }

    static List<Map<String, String>> read(Path file) throws IOException {
        List<Map<String, String>> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                entries.add(new JournalJson(line).entry());
            }
        }
        return entries;
    }

    private Map<String, String> entry() {
        Map<String, String> fields = new LinkedHashMap<>();
        expect('{');
        while (peek() != '}') {
            String name = string();
            expect(':');
            fields.put(name, value());
            if (peek() == ',') {
                at++;
            }
        }
        return fields;
    }

    private String value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == 'n') {
            at += "null".length();
            return null;
        }
        expect('[');
        if (peek() == '"' || peek() == '[') {
            List<String> values = new ArrayList<>();
            while (peek() != ']') {
                values.add(value());
                if (peek() == ',') {
                    at++;
                }
            }
            at++;
            return String.join("\n", values);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (peek() != ']') {
            int start = at;
            while (Character.isDigit(text.charAt(at))) {
                at++;
            }
            bytes.write(Integer.parseInt(text.substring(start, at)));
            if (peek() == ',') {
                at++;
            }
        }
        at++;
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = text.charAt(at++);
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> out.append(escaped); // \" \\ \/
            }
        }
    }

    private char peek() {
        while (Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return text.charAt(at);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at + " in " + text);
        }
        at++;
    }
}
