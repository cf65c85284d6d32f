package io.hearth.shadow;

/** Told of every committed shadow change, in commit order, on the shadow service's event thread. */
@FunctionalInterface
public interface ShadowListener {

    /**
     * @param previous the document before the change, or null when the shadow did not exist
     * @param current the document after it, or null when the shadow was deleted
     */
    void shadowChanged(ShadowName name, ShadowDocument previous, ShadowDocument current);
}
