package dev.usersapi.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which TCP peers may tell us the client's address ({@code USERS_API_TRUSTED_PROXIES}), and the client address of a
 * request according to them. {@code X-Forwarded-For} (or, without it, {@code Forwarded}) is believed only when the
 * peer is a trusted proxy; the chain is then walked from the right, skipping hops that are trusted proxies too, and
 * the first untrusted hop is the client. Anything a client could have written left of that hop is never looked at.
 * A value that is not an IP literal ends the walk at the nearest hop already believed: headers never break a request,
 * and no name is ever resolved (an address from the header is parsed as a literal or not at all).
 */
public final class TrustedProxies {
    /** More hops than any real chain: bounds the work a crafted header can cause. */
    static final int MAX_HOPS = 32;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d{1,5}");
    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9a-fA-F:.]{2,45})](?::\\d{1,5})?");

    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Cidr> cidrs;

    private TrustedProxies(List<Cidr> cidrs) {
        this.cidrs = List.copyOf(cidrs);
    }

    /** Nobody is trusted: the client is always the TCP peer (the default). */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Parses a comma-separated list of CIDRs ({@code 10.244.0.0/16, fd00::/8}); a bare address is a /32 or /128.
     *
     * @throws IllegalArgumentException naming the first entry that is not a CIDR
     */
    public static TrustedProxies parse(String list) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String raw : list.split(",", -1)) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            cidrs.add(Cidr.parse(entry)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "'" + entry + "' is not a CIDR (like 10.244.0.0/16 or fd00::/8)")));
        }
        return cidrs.isEmpty() ? NONE : new TrustedProxies(cidrs);
    }

    public boolean isEmpty() {
        return cidrs.isEmpty();
    }

    boolean trusts(InetAddress address) {
        for (Cidr cidr : cidrs) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address as text.
     *
     * @param peer           the TCP peer (empty if the connection's address is unknown)
     * @param xForwardedFor  every {@code X-Forwarded-For} header value, in order
     * @param forwarded      every {@code Forwarded} header value, in order (read only without X-Forwarded-For)
     */
    public String clientIp(Optional<InetAddress> peer, List<String> xForwardedFor, List<String> forwarded) {
        if (peer.isEmpty()) {
            return "";
        }
        InetAddress client = peer.get();
        if (cidrs.isEmpty() || !trusts(client)) {
            return client.getHostAddress();
        }
        List<String> hops = xForwardedFor.isEmpty() ? forwardedFor(forwarded) : xForwardedForHops(xForwardedFor);
        for (int i = hops.size() - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
            Optional<InetAddress> hop = literal(hops.get(i));
            if (hop.isEmpty()) {
                break; // not an address: nothing left of it can be believed
            }
            client = hop.get();
            if (!trusts(client)) {
                break;
            }
        }
        return client.getHostAddress();
    }

    private static List<String> xForwardedForHops(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            for (String hop : value.split(",", -1)) {
                hops.add(hop.strip());
            }
        }
        return hops;
    }

    /** The {@code for=} parameter of each element of {@code Forwarded} (RFC 7239), an empty string where it has none. */
    private static List<String> forwardedFor(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            for (String element : value.split(",", -1)) {
                String found = "";
                for (String pair : element.split(";", -1)) {
                    int eq = pair.indexOf('=');
                    if (eq > 0
                            && pair.substring(0, eq)
                                    .strip()
                                    .toLowerCase(Locale.ROOT)
                                    .equals("for")) {
                        found = unquote(pair.substring(eq + 1).strip());
                    }
                }
                hops.add(found);
            }
        }
        return hops;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    /** An IP literal, optionally with a port ({@code 1.2.3.4:5}, {@code [::1]:5}); never a name, never a lookup. */
    static Optional<InetAddress> literal(String hop) {
        String text = hop;
        var bracketed = BRACKETED.matcher(text);
        var v4port = IPV4_WITH_PORT.matcher(text);
        if (bracketed.matches()) {
            text = bracketed.group(1);
        } else if (v4port.matches()) {
            text = v4port.group(1);
        }
        boolean v4 = IPV4.matcher(text).matches();
        if (v4 ? !octetsInRange(text) : !(IPV6.matcher(text).matches() && text.indexOf(':') >= 0)) {
            return Optional.empty(); // Java would take 999.1.1.1 for a host name and look it up
        }
        try {
            // Only literals reach this point, so no name service is asked.
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    // The caller has matched four dot-separated digit runs: no empty part for split to drop.
    @SuppressWarnings("StringSplitter")
    private static boolean octetsInRange(String v4) {
        for (String octet : v4.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return cidrs.toString();
    }

    /** An address block; IPv4 and IPv6 never match each other (an IPv4-mapped IPv6 literal parses as IPv4). */
    // Compared by contains(), never through the record's equals.
    @SuppressWarnings("ArrayRecordComponent")
    record Cidr(byte[] network, int prefix) {
        static Optional<Cidr> parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            if (address.startsWith("[") || IPV4_WITH_PORT.matcher(address).matches()) {
                return Optional.empty();
            }
            Optional<InetAddress> parsed = literal(address);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            byte[] bytes = parsed.get().getAddress();
            int bits = bytes.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String p = text.substring(slash + 1);
                if (!p.matches("\\d{1,3}")) {
                    return Optional.empty();
                }
                prefix = Integer.parseInt(p);
                if (prefix > bits) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Cidr(mask(bytes, prefix), prefix));
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            return bytes.length == network.length && java.util.Arrays.equals(mask(bytes, prefix), network);
        }

        private static byte[] mask(byte[] bytes, int prefix) {
            byte[] masked = bytes.clone();
            for (int i = 0; i < masked.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                masked[i] = (byte) (masked[i] & (0xFF << (8 - keep)));
            }
            return masked;
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                return "?/" + prefix;
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(network) * 31 + prefix;
        }
    }
}
