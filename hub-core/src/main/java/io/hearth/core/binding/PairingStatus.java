package io.hearth.core.binding;

import io.hearth.core.device.DeviceId;
import java.util.List;

/**
 * Where pairing stands on one binding.
 *
 * @param joined devices that joined during the current (or last) pairing window, in join order
 * @param failed devices that tried to join during that window and cannot be used, each with the reason
 */
public record PairingStatus(String binding, boolean open, long secondsLeft, List<DeviceId> joined,
                            List<Failure> failed) {

    /**
     * A device that joined the radio network but did not become a usable device.
     *
     * @param reason what went wrong and what the homeowner can do about it, in plain words
     */
    public record Failure(DeviceId id, String reason) {
    }

    public PairingStatus {
        joined = List.copyOf(joined);
        failed = List.copyOf(failed);
    }

    /** A status for a binding whose devices never fail half-way (nothing to report but who joined). */
    public PairingStatus(String binding, boolean open, long secondsLeft, List<DeviceId> joined) {
        this(binding, open, secondsLeft, joined, List.of());
    }

    public static PairingStatus closed(String binding) {
        return new PairingStatus(binding, false, 0, List.of());
    }
}
