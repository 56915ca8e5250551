package dev.usersapi.store;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens PostgreSQL connections with the password read from its file on every new connection, so a password
 * rotated in the mounted Secret (CloudNativePG rotates the app user's) is used without a restart. The
 * password is never kept in a field.
 */
final class PasswordFileDataSource implements DataSource {
    private final PGSimpleDataSource driver;
    private final String user;
    private final Path passwordFile;

    PasswordFileDataSource(PGSimpleDataSource driver, String user, Path passwordFile) {
        this.driver = driver;
        this.user = user;
        this.passwordFile = passwordFile;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return driver.getConnection(user, readPassword());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return driver.getConnection(username, password);
    }

    private String readPassword() throws SQLException {
        try {
            // A trailing newline is how most tools write a secret file; it is never part of the password.
            return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            // SQLState 08001: cannot establish the connection; the pool retries, requests get 503.
            throw new SQLException("cannot read the database password file " + passwordFile + ": " + e, "08001", e);
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return driver.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        driver.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
        driver.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return driver.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return driver.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
