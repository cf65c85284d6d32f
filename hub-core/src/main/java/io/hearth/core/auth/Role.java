package io.hearth.core.auth;

/** What kind of identity a client acts as, which decides its built-in rights. */
public enum Role {
    /** A homeowner with every right: devices, users, credentials, pairing, cloud. */
    OWNER,
    /** A household member: views and controls devices; manages nothing. */
    MEMBER,
    /** A device or app with an MQTT credential: its own namespace plus its grants. */
    DEVICE,
    /** The hub's own in-process modules (shadow service, bindings, cloud link). */
    HUB
}
