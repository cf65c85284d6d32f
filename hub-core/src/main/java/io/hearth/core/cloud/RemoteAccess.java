package io.hearth.core.cloud;

import io.hearth.core.device.DeviceId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The owner's choice, per device, of what the cloud may see and change. Without a choice the
 * defaults apply: every device is visible, and devices with something to switch or set may be
 * controlled remotely.
 */
public interface RemoteAccess {

    /** The permission in force for {@code device}: the owner's choice or the default. */
    DevicePermission of(DeviceId device);

    /** The permission of every known device. */
    List<DevicePermission> all();

    /** Stores the owner's choice; a hidden device cannot be controlled. Completes once durable. */
    CompletableFuture<DevicePermission> set(DeviceId device, boolean visible, boolean control);

    /** Forgets the owner's choice, so the defaults apply again. Completes once durable. */
    CompletableFuture<DevicePermission> reset(DeviceId device);
}
