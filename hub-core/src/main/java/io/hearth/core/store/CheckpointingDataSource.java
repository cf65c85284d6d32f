package io.hearth.core.store;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The store's connections for modules' own reads and occasional writes (people, pairing records,
 * network settings). H2 writes committed transactions to its file in the background; after a write
 * through one of these connections commits, a {@code CHECKPOINT} puts it in the file at once, so
 * what a module acknowledges survives {@code kill -9}. Frequent writes belong in the {@link Journal}.
 */
final class CheckpointingDataSource implements DataSource {

    private static final Set<String> WRITES = Set.of("execute", "executeUpdate", "executeLargeUpdate", "executeBatch",
            "executeLargeBatch");

    private final DataSource target;

    CheckpointingDataSource(DataSource target) {
        this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(target.getConnection(username, password));
    }

    private static Connection wrap(Connection connection) {
        boolean[] written = {false};
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = RecordingConnection.invoke(connection, method, args);
                    if (result instanceof Statement statement) {
                        Class<?> type = method.getReturnType();
                        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                                (p, m, a) -> {
                                    Object done = RecordingConnection.invoke(statement, m, a);
                                    if (WRITES.contains(m.getName())) {
                                        written[0] = true;
                                        if (connection.getAutoCommit()) {
                                            checkpoint(connection, written);
                                        }
                                    }
                                    return done;
                                });
                    }
                    if (method.getName().equals("commit")) {
                        checkpoint(connection, written);
                    }
                    return result;
                });
    }

    private static void checkpoint(Connection connection, boolean[] written) throws SQLException {
        if (written[0]) {
            written[0] = false;
            try (Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT");
            }
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || target.isWrapperFor(type);
    }
}
