package io.hearth.core.bus;

/**
 * The hub's backbone as seen by in-process modules: the embedded broker without sockets. Modules
 * exchange state only through it, the same way an external device would.
 */
public interface Bus {

    /** Connects an in-process client that acts as {@code identity}. */
    BusClient connect(String identity);
}
