package io.hearth.core.binding;

/** A binding cannot do what was asked; the message says why in words a homeowner can act on. */
public final class BindingException extends Exception {

    public BindingException(String message) {
        super(message);
    }

    public BindingException(String message, Throwable cause) {
        super(message, cause);
    }
}
