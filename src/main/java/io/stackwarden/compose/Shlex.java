package io.stackwarden.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string command into words the way the CLI does (google/shlex): blanks separate words,
 * single quotes are literal, double quotes and backslashes escape, a {@code #} starting a word begins
 * a comment to the end of the line.
 */
final class Shlex {

    private Shlex() {
    }

    static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (!inWord) {
                if (isSpace(c)) {
                    i++;
                    continue;
                }
                if (c == '#') {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                    continue;
                }
                inWord = true;
            }
            if (isSpace(c)) {
                words.add(word.toString());
                word.setLength(0);
                inWord = false;
                i++;
            } else if (c == '\\') {
                if (i + 1 >= s.length()) {
                    throw new IllegalArgumentException("EOF found after escape character");
                }
                word.append(s.charAt(i + 1));
                i += 2;
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("EOF found when expecting closing quote");
                }
                word.append(s, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < s.length()) {
                    char d = s.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\') {
                        if (i + 1 >= s.length()) {
                            throw new IllegalArgumentException("EOF found after escape character");
                        }
                        word.append(s.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    word.append(d);
                    i++;
                }
                if (!closed) {
                    throw new IllegalArgumentException("EOF found when expecting closing quote");
                }
            } else {
                word.append(c);
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
