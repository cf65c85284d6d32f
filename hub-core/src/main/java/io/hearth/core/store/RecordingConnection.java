package io.hearth.core.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Wraps the journal's connection so that every write a change runs is noted with its parameters,
 * in order: the journal logs them before committing, and replays them after an abrupt stop.
 * Queries pass through unnoted. A parameter type the log cannot hold fails the change at once,
 * rather than leaving a write out of the log.
 */
final class RecordingConnection {

    /** One statement as run: its SQL and the values of its parameters (index 0 is parameter 1). */
    record Write(String sql, Object[] parameters) {
    }

    private static final Set<String> EXECUTES = Set.of("execute", "executeUpdate", "executeLargeUpdate");
    private static final Set<Class<?>> LOGGABLE = Set.of(String.class, Long.class, Integer.class, Short.class,
            Byte.class, Boolean.class, Double.class, Float.class, byte[].class);

    private final Connection connection;
    private final List<Write> writes = new ArrayList<>();

    RecordingConnection(Connection target) {
        this.connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    return switch (method.getName()) {
                        case "prepareStatement" -> prepared((PreparedStatement) result, (String) args[0]);
                        case "createStatement" -> plain((Statement) result);
                        case "prepareCall" -> throw new UnsupportedOperationException("journal changes cannot call procedures");
                        default -> result;
                    };
                });
    }

    /** The connection to hand to changes. */
    Connection connection() {
        return connection;
    }

    /** The writes noted since the last {@link #clear()}. */
    List<Write> writes() {
        return List.copyOf(writes);
    }

    void clear() {
        writes.clear();
    }

    private PreparedStatement prepared(PreparedStatement target, String sql) {
        Parameters parameters = new Parameters();
        List<Object[]> batch = new ArrayList<>();
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index
                    && method.getDeclaringClass() == PreparedStatement.class) {
                parameters.set(index, name.equals("setNull") ? null : loggable(name, args[1]));
            } else if (name.equals("clearParameters")) {
                parameters.clear();
            } else if (name.equals("addBatch") && args == null) {
                batch.add(parameters.values());
            } else if (name.equals("clearBatch")) {
                batch.clear();
            }
            Object result = invoke(target, method, args);
            if (EXECUTES.contains(name)) {
                writes.add(args == null ? new Write(sql, parameters.values()) : new Write((String) args[0], new Object[0]));
            } else if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                batch.forEach(values -> writes.add(new Write(sql, values)));
                batch.clear();
            }
            return result;
        };
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, handler);
    }

    private Statement plain(Statement target) {
        List<String> batch = new ArrayList<>();
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("addBatch")) {
                batch.add((String) args[0]);
            } else if (name.equals("clearBatch")) {
                batch.clear();
            }
            Object result = invoke(target, method, args);
            if (EXECUTES.contains(name)) {
                writes.add(new Write((String) args[0], new Object[0]));
            } else if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                batch.forEach(sql -> writes.add(new Write(sql, new Object[0])));
                batch.clear();
            }
            return result;
        };
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                handler);
    }

    private static Object loggable(String setter, Object value) {
        if (value == null || LOGGABLE.contains(value.getClass())) {
            return value;
        }
        throw new UnsupportedOperationException("the journal cannot log a " + value.getClass().getSimpleName()
                + " given to " + setter);
    }

    /** Calls {@code method} on the wrapped object, throwing what it threw rather than a reflection wrapper. */
    static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A statement's parameter values so far, by index. */
    private static final class Parameters {
        private Object[] values = new Object[8];
        private int count;

        void set(int index, Object value) {
            if (index > values.length) {
                values = Arrays.copyOf(values, Math.max(index, values.length * 2));
            }
            values[index - 1] = value;
            count = Math.max(count, index);
        }

        void clear() {
            Arrays.fill(values, null);
            count = 0;
        }

        Object[] values() {
            return Arrays.copyOf(values, count);
        }
    }
}
