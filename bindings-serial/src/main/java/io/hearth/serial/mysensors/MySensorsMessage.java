package io.hearth.serial.mysensors;

import java.util.Locale;

/**
 * One line of the MySensors serial protocol: {@code node;child;command;ack;type;payload}.
 *
 * @param ack on a message to a node: ask it to echo the message back; on a received one: this is that echo
 */
public record MySensorsMessage(int node, int child, Command command, boolean ack, int type, String payload) {

    /** Node id of a node that has none yet and asks for one. */
    public static final int AUTO = 255;
    /** Child id that stands for the node itself. */
    public static final int NODE_SELF = 255;
    /**
     * Payloads are at most 25 bytes on the radio, but the gateway's own log lines (node 0) are longer
     * text; they are read, then ignored.
     */
    private static final int MAX_PAYLOAD = 200;

    public MySensorsMessage {
        check(node, "node");
        check(child, "child");
        check(type, "type");
        payload = payload == null ? "" : payload;
        if (payload.length() > MAX_PAYLOAD || payload.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("payload is longer than " + MAX_PAYLOAD + " or holds a line end");
        }
    }

    /**
     * Reads a line (without its line end).
     *
     * @throws IllegalArgumentException saying what is wrong with the line
     */
    public static MySensorsMessage parse(String line) {
        String[] fields = line.split(";", 6);
        if (fields.length != 6) {
            throw new IllegalArgumentException("expected 6 fields separated by ;, found " + fields.length);
        }
        int ack = number(fields[3], "ack");
        if (ack > 1) {
            throw new IllegalArgumentException("ack must be 0 or 1, not " + ack);
        }
        return new MySensorsMessage(number(fields[0], "node"), number(fields[1], "child"),
                Command.of(number(fields[2], "command")), ack == 1, number(fields[4], "type"), fields[5].strip());
    }

    /** The line to send, with its line end. */
    public String format() {
        return String.format(Locale.ROOT, "%d;%d;%d;%d;%d;%s\n", node, child, command.code(), ack ? 1 : 0, type, payload);
    }

    private static int number(String field, String name) {
        if (field.isEmpty() || field.length() > 3 || !field.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(name + " is not a number from 0 to 255: \"" + field + "\"");
        }
        return Integer.parseInt(field);
    }

    private static void check(int value, String name) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(name + " must be 0 to 255, not " + value);
        }
    }
}
