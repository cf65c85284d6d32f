package io.hearth.installer;

import java.io.IOException;
import java.net.Socket;

final class TestPorts {

    private TestPorts() {
    }

    static boolean isListening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
