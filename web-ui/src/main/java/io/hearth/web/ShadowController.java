package io.hearth.web;

import io.hearth.shadow.ShadowError;
import io.hearth.shadow.ShadowException;
import io.hearth.shadow.ShadowMqttApi;
import io.hearth.shadow.ShadowName;
import io.hearth.shadow.ShadowReply;
import io.hearth.shadow.ShadowService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code /api/v1/things/{thing}/shadow[?name=SHADOW]}: the shadow API over HTTP, with the same bodies
 * and codes as over MQTT (AWS IoT's GetThingShadow, UpdateThingShadow and DeleteThingShadow).
 */
@Controller("/api/v1/things/{thing}/shadow")
final class ShadowController {

    private static final byte[] EMPTY = new byte[0];

    private final ShadowService shadows;

    ShadowController(ShadowService shadows) {
        this.shadows = shadows;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<String>> get(String thing, @Nullable @QueryValue String name) {
        return answer(thing, name, shadowName -> shadows.get(shadowName, EMPTY));
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<String>> update(String thing, @Nullable @QueryValue String name,
                                                   @Nullable @Body byte[] body) {
        return answer(thing, name, shadowName -> shadows.update(shadowName, body == null ? EMPTY : body));
    }

    @Delete(produces = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<String>> delete(String thing, @Nullable @QueryValue String name) {
        return answer(thing, name, shadowName -> shadows.delete(shadowName, EMPTY));
    }

    private static CompletableFuture<HttpResponse<String>> answer(String thing, String name,
            Function<ShadowName, CompletableFuture<ShadowReply>> request) {
        String problem = ShadowName.problem(thing, name);
        if (problem != null) {
            return CompletableFuture.completedFuture(refused(new ShadowException(ShadowError.invalidName(problem), null)));
        }
        return request.apply(new ShadowName(thing, name)).handle((reply, failure) -> {
            if (failure == null) {
                return HttpResponse.ok(reply.body().toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
            }
            return refused(ShadowException.of(failure));
        });
    }

    private static HttpResponse<String> refused(ShadowException refused) {
        return HttpResponse.<String>status(HttpStatus.valueOf(refused.error().code()))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ShadowMqttApi.errorBody(refused).toString());
    }
}
