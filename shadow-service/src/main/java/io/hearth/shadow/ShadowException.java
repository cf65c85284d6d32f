package io.hearth.shadow;

/** A shadow request that was refused; carries the error body's code and message and the request's clientToken. */
public final class ShadowException extends RuntimeException {

    private final ShadowError error;
    private final String clientToken;

    public ShadowException(ShadowError error, String clientToken) {
        super(error.code() + " " + error.message(), null, false, false);
        this.error = error;
        this.clientToken = clientToken;
    }

    /**
     * The refusal behind a failed request's future: the {@link ShadowException} itself, unwrapped from
     * the future's wrapper, or a 500 for anything unexpected.
     */
    public static ShadowException of(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof ShadowException refused ? refused : new ShadowException(ShadowError.INTERNAL, null);
    }

    public ShadowError error() {
        return error;
    }

    /** The clientToken of the refused request, when it had a valid one. */
    public String clientToken() {
        return clientToken;
    }
}
