package io.hearth.core.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The journal's log file: each group commit's writes, appended and synced before the transaction
 * commits, so H2 may write its file at its own pace. A record is its length, a checksum and the
 * writes; a record cut short by a crash fails its checksum and ends the log there.
 */
final class WriteAheadLog implements AutoCloseable {

    /** One group commit: its position in the journal and its writes in order. */
    record Entry(long position, List<RecordingConnection.Write> writes) {
    }

    private static final int HEADER = Integer.BYTES * 2;
    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte LONG = 2;
    private static final byte INT = 3;
    private static final byte SHORT = 4;
    private static final byte BYTE = 5;
    private static final byte BOOLEAN = 6;
    private static final byte DOUBLE = 7;
    private static final byte FLOAT = 8;
    private static final byte BYTES = 9;

    private final Path file;
    private final FileChannel channel;
    private final boolean sync;

    private WriteAheadLog(Path file, FileChannel channel, boolean sync) {
        this.file = file;
        this.channel = channel;
        this.sync = sync;
    }

    /** Opens {@code file} for appending, after the last whole record. */
    static WriteAheadLog open(Path file, boolean sync) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        channel.position(channel.size());
        return new WriteAheadLog(file, channel, sync);
    }

    /** Every whole record in {@code file}, oldest first; none when there is no file. */
    static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
        while (all.remaining() >= HEADER) {
            int length = all.getInt();
            int checksum = all.getInt();
            if (length <= 0 || length > all.remaining()) {
                break;
            }
            byte[] body = new byte[length];
            all.get(body);
            if (checksum(body) != checksum) {
                break;
            }
            entries.add(decode(body));
        }
        return entries;
    }

    void append(Entry entry) throws IOException {
        byte[] body = encode(entry);
        ByteBuffer record = ByteBuffer.allocate(HEADER + body.length);
        record.putInt(body.length).putInt(checksum(body)).put(body).flip();
        long end = channel.position();
        try {
            while (record.hasRemaining()) {
                channel.write(record);
            }
            if (sync) {
                channel.force(false);
            }
        } catch (IOException e) {
            // A torn record would end the log for every record after it: cut it off again.
            channel.truncate(end);
            channel.position(end);
            throw e;
        }
    }

    long size() throws IOException {
        return channel.size();
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static int checksum(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return (int) crc.getValue();
    }

    private static byte[] encode(Entry entry) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(entry.position());
        out.writeInt(entry.writes().size());
        for (RecordingConnection.Write write : entry.writes()) {
            writeString(out, write.sql());
            out.writeInt(write.parameters().length);
            for (Object value : write.parameters()) {
                writeValue(out, value);
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static Entry decode(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        long position = in.readLong();
        int count = in.readInt();
        List<RecordingConnection.Write> writes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String sql = readString(in);
            Object[] parameters = new Object[in.readInt()];
            for (int p = 0; p < parameters.length; p++) {
                parameters[p] = readValue(in);
            }
            writes.add(new RecordingConnection.Write(sql, parameters));
        }
        return new Entry(position, writes);
    }

    private static void writeValue(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof String text) {
            out.writeByte(STRING);
            writeString(out, text);
        } else if (value instanceof Long number) {
            out.writeByte(LONG);
            out.writeLong(number);
        } else if (value instanceof Integer number) {
            out.writeByte(INT);
            out.writeInt(number);
        } else if (value instanceof Short number) {
            out.writeByte(SHORT);
            out.writeShort(number);
        } else if (value instanceof Byte number) {
            out.writeByte(BYTE);
            out.writeByte(number);
        } else if (value instanceof Boolean flag) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(flag);
        } else if (value instanceof Double number) {
            out.writeByte(DOUBLE);
            out.writeDouble(number);
        } else if (value instanceof Float number) {
            out.writeByte(FLOAT);
            out.writeFloat(number);
        } else if (value instanceof byte[] bytes) {
            out.writeByte(BYTES);
            out.writeInt(bytes.length);
            out.write(bytes);
        } else {
            throw new IOException("cannot log a " + value.getClass().getSimpleName());
        }
    }

    private static Object readValue(DataInputStream in) throws IOException {
        byte type = in.readByte();
        return switch (type) {
            case NULL -> null;
            case STRING -> readString(in);
            case LONG -> in.readLong();
            case INT -> in.readInt();
            case SHORT -> in.readShort();
            case BYTE -> in.readByte();
            case BOOLEAN -> in.readBoolean();
            case DOUBLE -> in.readDouble();
            case FLOAT -> in.readFloat();
            case BYTES -> {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                yield bytes;
            }
            default -> throw new EOFException("unknown value type " + type);
        };
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
