package dev.usersapi.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokensFileTest {
    private static final String HASH = "a".repeat(64);
    private static final String OTHER = "B".repeat(64);

    @Test
    void readsRolesAndHashesSkippingCommentsAndBlanks() {
        List<TokenEntry> entries =
                TokensFile.parse("t", List.of("# tokens", "", "writer " + HASH, "  admin\t" + OTHER + "  "));
        assertThat(entries).extracting(TokenEntry::role).containsExactly(Role.WRITER, Role.ADMIN);
        assertThat(entries).extracting(TokenEntry::line).containsExactly(3, 4);
        assertThat(entries.get(1).sha256()).hasSize(32);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "writer                                                   | line 1: expected '<role> <sha256-hex>'",
                "writer aaaa bbbb                                         | line 1: expected '<role> <sha256-hex>'",
                "reader aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | line 1: unknown role 'reader'",
                "Writer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | line 1: unknown role 'Writer'",
                "writer my-plain-token                                    | line 1: the second field must be 64 hex digits",
                "admin aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | line 1: the second field must be 64 hex",
                "admin gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg | line 1: the second field must be 64 hex",
            })
    void namesTheBadLine(String line, String message) {
        assertThatThrownBy(() -> TokensFile.parse("/etc/tokens", List.of(line)))
                .isInstanceOf(InvalidTokensFileException.class)
                .hasMessageStartingWith("/etc/tokens " + message.substring(0, message.indexOf(':')))
                .hasMessageContaining(message.substring(message.indexOf(':') + 2));
    }

    @Test
    void rejectsTheSameHashTwice() {
        assertThatThrownBy(() -> TokensFile.parse("t", List.of("writer " + HASH, "# x", "admin " + HASH)))
                .hasMessage("t line 3: same token hash as line 1");
    }

    @Test
    void reportsAMissingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> TokensFile.read(dir.resolve("absent")))
                .isInstanceOf(InvalidTokensFileException.class)
                .hasMessageContaining("cannot be read");
    }

    @Test
    void reportsNonUtf8(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        assertThatThrownBy(() -> TokensFile.read(file)).hasMessageContaining("not UTF-8");
    }

    @Test
    void anEmptyFileMeansNoTokens(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# nobody may write yet\n");
        assertThat(TokensFile.read(file)).isEmpty();
    }
}
