package io.hearth.core.binding;

import io.hearth.core.device.DeviceId;
import java.util.List;

/**
 * Where pairing stands on one binding.
 *
 * @param joined devices that joined during the current (or last) pairing window, in join order
 */
public record PairingStatus(String binding, boolean open, long secondsLeft, List<DeviceId> joined) {

    public PairingStatus {
        joined = List.copyOf(joined);
    }

    public static PairingStatus closed(String binding) {
        return new PairingStatus(binding, false, 0, List.of());
    }
}
