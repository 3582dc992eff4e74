package io.tailsrv.server.internal.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The peers an instance accepts: a list of CIDR blocks, IPv4 or IPv6. An
 * empty list lets everyone in.
 */
public final class AllowList {

    public static final AllowList EVERYONE = new AllowList(List.of());

    /** Only literal addresses: a CIDR list is never resolved through DNS. */
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<Block> blocks;

    private AllowList(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Parses entries such as {@code 10.0.0.0/8}, {@code ::1} or {@code fd00::/8}. */
    public static AllowList parse(List<String> entries) throws IllegalArgumentException {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            String text = entry.strip();
            if (!text.isEmpty()) {
                blocks.add(Block.parse(text));
            }
        }
        return blocks.isEmpty() ? EVERYONE : new AllowList(List.copyOf(blocks));
    }

    public boolean permits(InetAddress peer) {
        if (blocks.isEmpty()) {
            return true;
        }
        byte[] address = peer.getAddress();
        for (Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return blocks.isEmpty() ? "everyone" : blocks.toString();
    }

    private record Block(byte[] network, int prefix, String text) {

        static Block parse(String text) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            if (!IPV4.matcher(host).matches() && !IPV6.matcher(host).matches()) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR block");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR block");
            }
            int bits = network.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("\"" + text + "\" has a prefix length outside 0-" + bits);
                }
            }
            return new Block(network, prefix, text);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
