package io.hearth.cloud;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands between the hub and the cloud's broker, passing bytes through. It can cut the link (close
 * every connection and refuse new ones) and restore it, and it can act like a cloud gateway that
 * only speaks MQTT 3.1.1: a CONNECT of protocol level 5 is then answered with the 3.1.1 return code
 * "unacceptable protocol version" and the connection closed.
 */
final class CloudGateway implements AutoCloseable {

    final int port;
    volatile int refusedMqtt5;
    private final boolean onlyMqtt311;
    private volatile boolean open = true;
    private final int brokerPort;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    CloudGateway(int brokerPort, boolean onlyMqtt311) throws IOException {
        this.brokerPort = brokerPort;
        this.onlyMqtt311 = onlyMqtt311;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        port = server.getLocalPort();
        acceptor = new Thread(this::accept, "cloud-gateway");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!open) {
                    closeQuietly(client);
                    continue;
                }
                sockets.add(client);
                Thread handler = new Thread(() -> serve(client), "cloud-gateway-client");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            DataInputStream in = new DataInputStream(client.getInputStream());
            // Fixed header, remaining length (variable length integer), protocol name, protocol level.
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            head.write(in.readUnsignedByte());
            int digit;
            do {
                digit = in.readUnsignedByte();
                head.write(digit);
            } while ((digit & 0x80) != 0);
            int nameLength = in.readUnsignedShort();
            head.write(nameLength >> 8);
            head.write(nameLength);
            byte[] name = in.readNBytes(nameLength);
            head.write(name);
            int level = in.readUnsignedByte();
            head.write(level);
            if (level == 5 && onlyMqtt311) {
                refusedMqtt5++;
                OutputStream out = client.getOutputStream();
                out.write(new byte[] {0x20, 0x02, 0x00, 0x01});
                out.flush();
                client.close();
                return;
            }
            Socket broker = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
            sockets.add(broker);
            broker.getOutputStream().write(head.toByteArray());
            Thread back = new Thread(() -> pipe(broker, client), "cloud-gateway-back");
            back.setDaemon(true);
            back.start();
            pipe(client, broker);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Drops every connection and refuses new ones, like a lost internet connection. */
    void cut() {
        open = false;
        sockets.forEach(CloudGateway::closeQuietly);
        sockets.clear();
    }

    void restore() {
        open = true;
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(CloudGateway::closeQuietly);
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
