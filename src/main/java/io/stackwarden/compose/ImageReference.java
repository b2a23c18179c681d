package io.stackwarden.compose;

import java.util.regex.Pattern;

/**
 * The check {@code docker stack deploy} makes on every service's {@code image}: present, and a valid
 * reference (distribution/reference grammar: optional registry host, lowercase path components,
 * optional tag and digest, or a bare 64-hex image ID).
 */
final class ImageReference {

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|" + IPV6
            + ")(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("^((?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT
            + ")*)(?::(" + TAG + "))?(?:@(" + DIGEST + "))?$");
    private static final Pattern ID = Pattern.compile("^[a-f0-9]{64}$");

    private ImageReference() {
    }

    /** Returns null when valid, else the CLI's reason. */
    static String problem(String image) {
        if (image == null || image.isEmpty()) {
            return "no image specified";
        }
        if (ID.matcher(image).matches()) {
            return null;
        }
        var m = REFERENCE.matcher(image);
        if (!m.matches()) {
            var lower = REFERENCE.matcher(image.toLowerCase());
            if (lower.matches()) {
                return "invalid reference format: repository name (" + name(image) + ") must be lowercase";
            }
            return "invalid reference format";
        }
        if (m.group(1).length() > 255) {
            return "repository name must not be more than 255 characters";
        }
        return null;
    }

    private static String name(String image) {
        int at = image.indexOf('@');
        String s = at < 0 ? image : image.substring(0, at);
        int slash = s.lastIndexOf('/');
        int colon = s.lastIndexOf(':');
        return colon > slash ? s.substring(0, colon) : s;
    }
}
