package io.stackwarden.compose;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Short port syntax ({@code [ip:][published[-range]:]target[-range][/proto]}) expanded into the CLI's
 * long form, one entry per port, in the CLI's order (sorted by the text "port/proto", so 1000 sorts
 * before 999), with mode "ingress". A host IP is accepted but dropped, with the CLI's warning.
 */
final class PortSpec {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    record Mapping(int target, String proto, String hostIp, String hostPort) {
    }

    private PortSpec() {
    }

    static List<Mapping> parse(String raw) {
        String[] parts = raw.split(":", -1);
        String ip;
        String hostPort;
        String container;
        int n = parts.length;
        if (n == 1) {
            ip = "";
            hostPort = "";
            container = parts[0];
        } else if (n == 2) {
            ip = "";
            hostPort = parts[0];
            container = parts[1];
        } else {
            ip = String.join(":", java.util.Arrays.copyOf(parts, n - 2));
            hostPort = parts[n - 2];
            container = parts[n - 1];
        }
        String proto = "tcp";
        String[] pp = container.split("/", -1);
        if (container.isEmpty() || pp[0].isEmpty()) {
            throw new IllegalArgumentException("no port specified: " + raw + "<empty>");
        }
        if (pp.length > 1 && !pp[1].isEmpty()) {
            proto = pp[1];
        }
        container = pp[0];
        proto = proto.toLowerCase();
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw new IllegalArgumentException("invalid proto: " + proto);
        }
        if (ip.startsWith("[")) {
            if (!ip.endsWith("]")) {
                throw new IllegalArgumentException("invalid IP address " + ip);
            }
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!ip.isEmpty() && !isIp(ip)) {
            throw new IllegalArgumentException("invalid IP address: " + ip);
        }
        int[] c = range(container, "invalid containerPort: " + container);
        int[] h = null;
        if (!hostPort.isEmpty()) {
            h = range(hostPort, "invalid hostPort: " + hostPort);
            if (c[1] - c[0] != h[1] - h[0] && c[1] != c[0]) {
                throw new IllegalArgumentException("invalid ranges specified for container and host Ports: "
                        + container + " and " + hostPort);
            }
        }
        int count = c[1] - c[0] + 1;
        List<Mapping> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String hp = "";
            if (h != null) {
                hp = Integer.toString(h[0] + i);
                if (count == 1 && h[0] != h[1]) {
                    hp += "-" + h[1];
                }
            }
            out.add(new Mapping(c[0] + i, proto, ip, hp));
        }
        return out;
    }

    /** The CLI's port entries for one short-syntax item; warnings collect the dropped host IPs. */
    static List<ObjectNode> expand(String raw, List<String> warnings) {
        Map<String, List<Mapping>> byKey = new TreeMap<>();
        for (Mapping m : parse(raw)) {
            byKey.computeIfAbsent(m.target + "/" + m.proto, k -> new ArrayList<>()).add(m);
        }
        List<ObjectNode> out = new ArrayList<>();
        for (Map.Entry<String, List<Mapping>> e : byKey.entrySet()) {
            for (Mapping m : e.getValue()) {
                if (!m.hostIp.isEmpty() && !isUnspecified(m.hostIp)) {
                    String host = m.hostIp.contains(":") ? "[" + m.hostIp + "]" : m.hostIp;
                    warnings.add("ignoring IP-address (" + host + ":" + m.hostPort + ":" + e.getKey()
                            + ") service will listen on '0.0.0.0'");
                }
                int from = 0;
                int to = 0;
                if (!m.hostPort.isEmpty()) {
                    int[] r = range(m.hostPort, "invalid hostport binding (" + m.hostPort + ") for port ("
                            + m.target + ")");
                    from = r[0];
                    to = r[1];
                }
                for (int p = from; p <= to; p++) {
                    ObjectNode port = JSON.objectNode();
                    port.put("mode", "ingress");
                    if (m.target != 0) {
                        port.put("target", m.target);
                    }
                    if (p != 0) {
                        port.put("published", p);
                    }
                    port.put("protocol", m.proto);
                    out.add(port);
                }
            }
        }
        return out;
    }

    private static int[] range(String s, String error) {
        int dash = s.indexOf('-');
        String a = dash < 0 ? s : s.substring(0, dash);
        String b = dash < 0 ? a : s.substring(dash + 1);
        int start = number(a, error);
        int end = b.equals(a) ? start : number(b, error);
        if (end < start) {
            throw new IllegalArgumentException(error);
        }
        return new int[]{start, end};
    }

    private static int number(String s, String error) {
        if (!s.matches("[+-]?[0-9]{1,9}")) {
            throw new IllegalArgumentException(error);
        }
        int v = Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
        if (v < 0 || v > 65535) {
            throw new IllegalArgumentException(error);
        }
        return v;
    }

    static boolean isIp(String s) {
        if (s.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}")) {
            return true;
        }
        if (!s.contains(":") || !s.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(s); // a literal with ':' is parsed, never looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isUnspecified(String ip) {
        try {
            return InetAddress.getByName(ip.contains(":") ? ip : ip).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
