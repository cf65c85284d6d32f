package io.hearth.core.cloud;

import io.hearth.core.device.DeviceId;

/**
 * What the cloud may do with one device.
 *
 * @param visible the device's shadow is projected upstream; when false the cloud is told nothing of it
 *                and its requests for it are answered as for a device that does not exist
 * @param control remote apps may change the device's desired state (only meaningful when visible)
 * @param ownerChoice true when the owner set these values, false when they are the defaults
 */
public record DevicePermission(DeviceId device, boolean visible, boolean control, boolean ownerChoice) {
}
