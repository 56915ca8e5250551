package dev.usersapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Properties;

/** What is running: the name, the version and git revision stamped in at build time, and when it started. */
public record BuildInfo(String name, String version, String revision, Instant started) {
    public static final String SERVICE_NAME = "users-api";

    public static BuildInfo load(Instant started) {
        Properties props = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/build-info.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build-info.properties", e);
        }
        return new BuildInfo(
                SERVICE_NAME,
                props.getProperty("version", "unknown"),
                props.getProperty("revision", "unknown"),
                started);
    }
}
