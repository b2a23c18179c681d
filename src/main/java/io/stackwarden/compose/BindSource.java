package io.stackwarden.compose;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A bind mount's source as the CLI's loader writes it. The source is a path on the node that runs the
 * task, never a file Stackwarden reads, so it is not held to the desired-state root: an absolute path
 * (Unix or Windows) is passed on exactly as written, a relative one is joined to the stack folder's
 * absolute path and cleaned like Go's {@code filepath.Join}.
 */
final class BindSource {

    private BindSource() {
    }

    /** @param source the source after {@code ~} expansion */
    static String resolve(String source, String stackDir) {
        if (source.startsWith("/") || isWindowsAbsolute(source)) {
            return source;
        }
        return clean(stackDir + "/" + source);
    }

    /** Go's {@code filepath.Clean} on Unix: one slash, no {@code .}, {@code ..} folded, no trailing slash. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.startsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        int dotDots = 0; // leading ".." of a relative path, which cannot be folded
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                } else if (!rooted) {
                    dotDots++;
                }
                continue;
            }
            parts.addLast(part);
        }
        StringBuilder out = new StringBuilder(rooted ? "/" : "");
        for (int i = 0; i < dotDots; i++) {
            out.append(out.length() > 0 && out.charAt(out.length() - 1) != '/' ? "/" : "").append("..");
        }
        for (String part : parts) {
            out.append(out.length() > 0 && out.charAt(out.length() - 1) != '/' ? "/" : "").append(part);
        }
        return out.length() == 0 ? "." : out.toString();
    }

    /** A drive letter or a UNC share followed by a separator, as the CLI's loader recognises them. */
    private static boolean isWindowsAbsolute(String path) {
        int volume = windowsVolumeLength(path);
        return volume > 0 && path.length() > volume && isSlash(path.charAt(volume));
    }

    private static int windowsVolumeLength(String path) {
        if (path.length() < 2) {
            return 0;
        }
        char c = path.charAt(0);
        if (path.charAt(1) == ':' && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
            return 2;
        }
        // \\host\share: two separators, a host, a separator, a share.
        int l = path.length();
        if (l >= 5 && isSlash(path.charAt(0)) && isSlash(path.charAt(1)) && !isSlash(path.charAt(2))
                && path.charAt(2) != '.') {
            for (int n = 3; n < l - 1; n++) {
                if (isSlash(path.charAt(n))) {
                    n++;
                    if (isSlash(path.charAt(n)) || path.charAt(n) == '.') {
                        return 0;
                    }
                    while (n < l && !isSlash(path.charAt(n))) {
                        n++;
                    }
                    return n;
                }
            }
        }
        return 0;
    }

    private static boolean isSlash(char c) {
        return c == '\\' || c == '/';
    }
}
