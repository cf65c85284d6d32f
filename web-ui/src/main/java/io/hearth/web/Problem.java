package io.hearth.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** HTTP problem details (RFC 9457): every refusal of the REST API says what went wrong and what to do. */
public final class Problem {

    static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");

    private Problem() {
    }

    public static <T> MutableHttpResponse<T> of(HttpStatus status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReason());
        body.put("status", status.getCode());
        body.put("detail", detail);
        @SuppressWarnings("unchecked")
        MutableHttpResponse<T> response = (MutableHttpResponse<T>) HttpResponse.status(status).contentType(PROBLEM_JSON).body(body);
        return response;
    }
}
