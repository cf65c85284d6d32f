package io.hearth.serial.link;

/** What a {@link SerialLink} tells the protocol on top of it; called on the link's reader thread. */
public interface LinkListener {

    void connected();

    /** Bytes as they arrived, in order; a chunk may end in the middle of a line or frame. */
    void received(byte[] chunk);

    void disconnected(String reason);
}
