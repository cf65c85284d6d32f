package io.hearth.broker;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/** The Paho MQTT 5 clients a test made; {@link #closeAll()} ends them all, connected or not. */
final class TestClients {

    private final List<MqttAsyncClient> clients = new ArrayList<>();

    MqttAsyncClient create(String uri, String clientId) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new QuietCallback());
        clients.add(client);
        return client;
    }

    MqttAsyncClient get(int index) {
        return clients.get(index);
    }

    void closeAll() throws Exception {
        for (MqttAsyncClient client : clients) {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
            client.close(true);
        }
        clients.clear();
    }
}
