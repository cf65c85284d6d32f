package io.hearth.broker;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** The Paho MQTT 3.1.1 clients a test made; {@link #closeAll()} ends them all, connected or not. */
final class V3TestClients {

    private final List<MqttClient> clients = new ArrayList<>();

    /** A client whose every wait is bounded: Paho can leave a token waiting forever when a connection drops. */
    MqttClient create(String uri, String clientId) throws MqttException {
        MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setTimeToWait(5000);
        clients.add(client);
        return client;
    }

    /** Connects with a short timeout and no automatic reconnect, so a refusal shows at once. */
    MqttClient connect(String uri, String clientId, MqttConnectOptions options) throws MqttException {
        MqttClient client = create(uri, clientId);
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        client.connect(options);
        return client;
    }

    void closeAll() throws MqttException {
        for (MqttClient client : clients) {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
            client.close(true);
        }
        clients.clear();
    }
}
