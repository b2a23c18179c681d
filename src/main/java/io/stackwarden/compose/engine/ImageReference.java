package io.stackwarden.compose.engine;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Image references as {@code docker stack deploy} treats them: the check it makes on every service's
 * {@code image} (present, and a valid distribution/reference: optional registry host, lowercase path
 * components, optional tag and digest, or a bare 64-hex image ID), and the form its API client sends to
 * the engine on every service create and update, whatever {@code --resolve-image} says.
 */
public final class ImageReference {

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String PATH = COMPONENT + "(?:/" + COMPONENT + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|" + IPV6
            + ")(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("^((?:" + DOMAIN + "/)?" + PATH + ")(?::(" + TAG
            + "))?(?:@(" + DIGEST + "))?$");
    /** A reference whose domain is known: domain, path, tag, digest. */
    private static final Pattern QUALIFIED = Pattern.compile("^(" + DOMAIN + ")/(" + PATH + ")(?::(" + TAG
            + "))?(?:@(" + DIGEST + "))?$");
    /** The digests the engine's reference parser accepts: a known algorithm and its length in lowercase hex. */
    private static final Pattern KNOWN_DIGEST = Pattern.compile("^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$");
    private static final Pattern ID = Pattern.compile("^[a-f0-9]{64}$");
    private static final String HUB = "docker.io";
    private static final String LEGACY_HUB = "index.docker.io";
    private static final String OFFICIAL = "library/";
    private static final int MAX_NAME = 255;

    private ImageReference() {
    }

    /** Returns null when valid, else the CLI's reason. */
    public static String problem(String image) {
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
        if (m.group(1).length() > MAX_NAME) {
            return "repository name must not be more than 255 characters";
        }
        return null;
    }

    /**
     * The reference as the CLI's API client writes it into a service spec: normalised and then shown in
     * its familiar form (Docker Hub's domain and its {@code library/} prefix dropped), with {@code :latest}
     * added when it names neither tag nor digest. {@code busybox} and {@code docker.io/library/busybox}
     * become {@code busybox:latest}, {@code registry.example.test:5000/team/app} gets {@code :latest};
     * tags and digests stay. A reference the parser refuses (an image ID, an unknown digest algorithm) is
     * sent as written, as the CLI does.
     */
    public static String engineForm(String image) {
        return parse(image).map(Parsed::familiarTagged).orElse(image);
    }

    /**
     * The registry the image is pulled from, as the CLI names it: {@code host[:port]} as written, {@code docker.io}
     * for Docker Hub (no domain, {@code docker.io} or {@code index.docker.io}); empty for an image ID or a
     * reference the parser refuses.
     */
    public static Optional<String> registry(String image) {
        return parse(image).map(Parsed::domain);
    }

    private static Optional<Parsed> parse(String image) {
        if (image == null || image.isEmpty() || ID.matcher(image).matches()) {
            return Optional.empty();
        }
        String domain = HUB;
        String remainder = image;
        int slash = image.indexOf('/');
        if (slash < 0) {
            remainder = OFFICIAL + image;
        } else {
            String first = image.substring(0, slash);
            // The first component is a registry when it looks like a host (or is in upper case, which a
            // repository path may not be); Docker Hub's legacy name counts as Docker Hub.
            if (first.equals(LEGACY_HUB)) {
                remainder = image.substring(slash + 1);
            } else if (first.equals("localhost") || first.contains(".") || first.contains(":")
                    || !first.toLowerCase(Locale.ROOT).equals(first)) {
                domain = first;
                remainder = image.substring(slash + 1);
            }
            if (domain.equals(HUB) && !remainder.contains("/")) {
                remainder = OFFICIAL + remainder;
            }
        }
        int colon = remainder.indexOf(':');
        String repository = colon < 0 ? remainder : remainder.substring(0, colon);
        if (!repository.toLowerCase(Locale.ROOT).equals(repository)) {
            return Optional.empty();
        }
        Matcher m = QUALIFIED.matcher(domain + "/" + remainder);
        if (!m.matches() || m.group(1).length() + 1 + m.group(2).length() > MAX_NAME
                || (m.group(4) != null && !KNOWN_DIGEST.matcher(m.group(4)).matches())) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(m.group(1), m.group(2), m.group(3), m.group(4)));
    }

    private record Parsed(String domain, String path, String tag, String digest) {

        String familiarTagged() {
            return (tag == null && digest == null ? new Parsed(domain, path, "latest", null) : this).familiar();
        }

        String familiar() {
            String name = domain + "/" + path;
            if (domain.equals(HUB)) {
                String rest = path.startsWith(OFFICIAL) ? path.substring(OFFICIAL.length()) : path;
                name = rest.contains("/") ? path : rest;
            }
            return name + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
        }
    }

    private static String name(String image) {
        int at = image.indexOf('@');
        String s = at < 0 ? image : image.substring(0, at);
        int slash = s.lastIndexOf('/');
        int colon = s.lastIndexOf(':');
        return colon > slash ? s.substring(0, colon) : s;
    }
}
