package io.hearth.shadow;

/**
 * A refused shadow request: the HTTP-style code and the message AWS IoT uses for the same case,
 * sent as {@code {"code":C,"message":"...","timestamp":T,"clientToken":"..."}} on the
 * {@code /rejected} topic and as the HTTP response body.
 */
public record ShadowError(int code, String message) {

    public static final ShadowError INVALID_JSON = new ShadowError(400, "Invalid JSON");
    public static final ShadowError MISSING_STATE = new ShadowError(400, "Missing required node: state");
    public static final ShadowError STATE_NOT_OBJECT = new ShadowError(400, "State node must be an object");
    public static final ShadowError DESIRED_NOT_OBJECT = new ShadowError(400, "Desired node must be an object");
    public static final ShadowError REPORTED_NOT_OBJECT = new ShadowError(400, "Reported node must be an object");
    public static final ShadowError INVALID_VERSION = new ShadowError(400, "Invalid version");
    public static final ShadowError INVALID_CLIENT_TOKEN = new ShadowError(400, "Invalid clientToken");
    public static final ShadowError TOO_DEEP = new ShadowError(400,
            "JSON contains too many levels of nesting; maximum is " + StateMerge.MAX_DEPTH);
    public static final ShadowError INVALID_NODE = new ShadowError(400, "State contains an invalid node");
    public static final ShadowError NULL_IN_ARRAY = new ShadowError(400, "Invalid JSON: arrays may not contain null");
    public static final ShadowError VERSION_CONFLICT = new ShadowError(409, "Version conflict");
    public static final ShadowError TOO_LARGE = new ShadowError(413, "The payload exceeds the maximum size allowed");
    public static final ShadowError NOT_UTF8 = new ShadowError(415,
            "Unsupported documented encoding; supported encoding is UTF-8");
    public static final ShadowError INTERNAL = new ShadowError(500, "Internal service failure");

    public static ShadowError invalidName(String problem) {
        return new ShadowError(400, problem);
    }

    public static ShadowError notFound(ShadowName name) {
        return new ShadowError(404, "No shadow exists with name: " + name.quoted());
    }

    /** A desired key the device cannot accept; the message names the key. */
    public static ShadowError refusedKey(String problem) {
        return new ShadowError(400, problem);
    }
}
