package dev.usersapi.auth;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the tokens file: one {@code <role> <sha256-hex-of-token>} per line, blank lines and lines starting
 * with {@code #} ignored. The file holds only hashes, so the Secret that carries it holds no usable token.
 * Anything else is an error naming the line: a typo must not silently leave the service without writers.
 */
public final class TokensFile {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private TokensFile() {}

    public static List<TokenEntry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new InvalidTokensFileException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new InvalidTokensFileException(file + ": cannot be read (" + e + ")", e);
        }
        return parse(file.toString(), lines);
    }

    static List<TokenEntry> parse(String source, List<String> lines) {
        List<TokenEntry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", -1); // the line is stripped: no empty last field
            if (parts.length != 2) {
                throw new InvalidTokensFileException(source + " line " + lineNo
                        + ": expected '<role> <sha256-hex>', found " + parts.length + " fields");
            }
            Role role = Role.fromLabel(parts[0])
                    .orElseThrow(() -> new InvalidTokensFileException(
                            source + " line " + lineNo + ": unknown role '" + parts[0] + "' (known: writer, admin)"));
            if (!SHA256_HEX.matcher(parts[1]).matches()) {
                throw new InvalidTokensFileException(
                        source + " line " + lineNo
                                + ": the second field must be 64 hex digits (the SHA-256 of the token, never the token itself)");
            }
            String hex = parts[1].toLowerCase(java.util.Locale.ROOT);
            Integer earlier = seen.putIfAbsent(hex, lineNo);
            if (earlier != null) {
                throw new InvalidTokensFileException(
                        source + " line " + lineNo + ": same token hash as line " + earlier);
            }
            entries.add(new TokenEntry(role, HexFormat.of().parseHex(hex), lineNo));
        }
        return List.copyOf(entries);
    }
}
