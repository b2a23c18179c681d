package io.stackwarden.compose.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code ports:} to {@code EndpointSpec.Ports}. The loader normally hands over the long form; short
 * strings ("127.0.0.1:8000-8001:80-81/udp") are expanded here with the CLI's rules: one entry per
 * container port (ordered as the CLI orders its map keys, i.e. by "port/proto" text), a host IP is
 * ignored (swarm publishes on every address), a host range for a single container port publishes
 * each host port. The result is sorted by published port, keeping the order of equal ones.
 */
final class PortConverter {

    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");
    private static final Set<String> MODES = Set.of("ingress", "host");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%\\w+)?");

    private PortConverter() {
    }

    record Port(String protocol, long target, long published, String mode) {
        ObjectNode toJson() {
            ObjectNode node = Json.object();
            Json.putIfNotEmpty(node, "Protocol", protocol);
            Json.putIfNotZero(node, "TargetPort", target);
            Json.putIfNotZero(node, "PublishedPort", published);
            Json.putIfNotEmpty(node, "PublishMode", mode);
            return node;
        }
    }

    static List<Port> convert(JsonNode ports, String where) {
        List<Port> result = new ArrayList<>();
        if (ports == null || ports.isNull()) {
            return result;
        }
        if (!ports.isArray()) {
            throw new ConvertException(where + "ports: expected a list");
        }
        for (JsonNode entry : ports) {
            if (entry.isObject()) {
                result.add(longForm(entry, where + "ports: "));
            } else if (entry.isTextual() || entry.isIntegralNumber()) {
                result.addAll(shortForm(entry.asText(), where + "ports: "));
            } else {
                throw new ConvertException(where + "ports: invalid entry " + entry);
            }
        }
        // List.sort is stable: equal published ports (e.g. all unpublished) keep their order.
        result.sort(Comparator.comparingLong(Port::published));
        return result;
    }

    private static Port longForm(JsonNode entry, String where) {
        Long target = Fields.integer(entry, "target", where);
        if (target == null || target < 1 || target > 65535) {
            throw new ConvertException(where + "invalid target port " + entry.get("target") + " in " + entry);
        }
        Long published = Fields.integer(entry, "published", where);
        if (published != null && (published < 0 || published > 65535)) {
            throw new ConvertException(where + "invalid published port " + published + " in " + entry);
        }
        String protocol = Fields.textOr(entry, "protocol", where, "");
        if (!protocol.isEmpty() && !PROTOCOLS.contains(protocol)) {
            throw new ConvertException(where + "invalid protocol \"" + protocol + "\" (tcp, udp or sctp)");
        }
        String mode = Fields.textOr(entry, "mode", where, "");
        if (!mode.isEmpty() && !MODES.contains(mode)) {
            throw new ConvertException(where + "invalid mode \"" + mode + "\" (ingress or host)");
        }
        return new Port(protocol, target, published == null ? 0 : published, mode);
    }

    static List<Port> shortForm(String spec, String where) {
        String[] parts = spec.split(":", -1);
        int n = parts.length;
        String containerPart = parts[n - 1];
        String hostPart = n >= 2 ? parts[n - 2] : "";
        String ip = n >= 3 ? String.join(":", java.util.Arrays.copyOf(parts, n - 2)) : "";
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!ip.isEmpty() && !IPV4.matcher(ip).matches() && !IPV6.matcher(ip).matches()) {
            throw new ConvertException(where + "invalid IP address \"" + ip + "\" in \"" + spec + "\"");
        }
        String protocol = "tcp";
        int slash = containerPart.indexOf('/');
        if (slash >= 0) {
            protocol = containerPart.substring(slash + 1).toLowerCase(Locale.ROOT);
            containerPart = containerPart.substring(0, slash);
        }
        if (containerPart.isEmpty()) {
            throw new ConvertException(where + "no port specified in \"" + spec + "\"");
        }
        if (!PROTOCOLS.contains(protocol)) {
            throw new ConvertException(where + "invalid protocol \"" + protocol + "\" in \"" + spec + "\"");
        }
        long[] container = range(containerPart, where, spec);
        long[] host = hostPart.isEmpty() ? new long[] {0, 0} : range(hostPart, where, spec);
        boolean containerRange = container[1] != container[0];
        if (!hostPart.isEmpty() && container[1] - container[0] != host[1] - host[0] && containerRange) {
            throw new ConvertException(where + "invalid ranges for container and host ports in \"" + spec + "\"");
        }
        // Keyed by "port/proto" text, as the CLI walks its port map in sorted key order.
        TreeMap<String, List<Port>> byKey = new TreeMap<>();
        for (long i = 0; i <= container[1] - container[0]; i++) {
            long target = container[0] + i;
            List<Port> ports = new ArrayList<>();
            if (hostPart.isEmpty()) {
                ports.add(new Port(protocol, target, 0, "ingress"));
            } else if (!containerRange && host[0] != host[1]) {
                for (long p = host[0]; p <= host[1]; p++) {
                    ports.add(new Port(protocol, target, p, "ingress"));
                }
            } else {
                ports.add(new Port(protocol, target, host[0] + i, "ingress"));
            }
            byKey.put(target + "/" + protocol, ports);
        }
        List<Port> result = new ArrayList<>();
        byKey.values().forEach(result::addAll);
        return result;
    }

    private static long[] range(String text, String where, String spec) {
        int dash = text.indexOf('-');
        try {
            long start = port(dash < 0 ? text : text.substring(0, dash));
            long end = dash < 0 ? start : port(text.substring(dash + 1));
            if (end < start) {
                throw new NumberFormatException();
            }
            return new long[] {start, end};
        } catch (NumberFormatException e) {
            throw new ConvertException(where + "invalid port or range \"" + text + "\" in \"" + spec + "\"");
        }
    }

    private static long port(String text) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
            throw new NumberFormatException(text);
        }
        long value = Long.parseLong(text);
        if (value > 65535) {
            throw new NumberFormatException(text);
        }
        return value;
    }
}
