package io.hearth.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.binding.Binding;
import io.hearth.core.binding.BindingException;
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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/pairing}: opens, shows and closes a binding's pairing window (POST and DELETE for
 * owners). Besides the devices that joined, the status lists those that tried and cannot be used,
 * each with the reason ({@code "failed":[{"id","reason"}]}). Without a {@code binding}, GET and DELETE use the binding whose window is open, else the
 * first one.
 */
@Controller("/api/v1/pairing")
@ExecuteOn(TaskExecutors.BLOCKING)
final class PairingController {

    static final int MIN_SECONDS = 10;
    static final int MAX_SECONDS = 600;

    private final List<Binding> bindings;

    PairingController(List<Binding> bindings) {
        this.bindings = List.copyOf(bindings);
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> open(@Body JsonNode body) {
        JsonNode name = body == null ? null : body.get("binding");
        JsonNode seconds = body == null ? null : body.get("seconds");
        if (name == null || !name.isTextual()) {
            return Problem.of(HttpStatus.BAD_REQUEST, "Say which binding should pair: {\"binding\": \"" + known() + "\"}.");
        }
        int window = seconds == null ? 120 : seconds.isIntegralNumber() ? seconds.intValue() : -1;
        if (window < MIN_SECONDS || window > MAX_SECONDS) {
            return Problem.of(HttpStatus.BAD_REQUEST, "seconds must be a whole number from " + MIN_SECONDS + " to "
                    + MAX_SECONDS + ".");
        }
        Optional<Binding> binding = find(name.textValue());
        if (binding.isEmpty()) {
            return unknown(name.textValue());
        }
        try {
            return HttpResponse.ok(PairingJson.of(binding.get().startPairing(Duration.ofSeconds(window))));
        } catch (BindingException e) {
            return Problem.of(HttpStatus.CONFLICT, "Pairing could not start: " + e.getMessage());
        }
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> status(@Nullable @QueryValue String binding) {
        Optional<Binding> chosen = binding == null ? current() : find(binding);
        return chosen.<HttpResponse<?>>map(b -> HttpResponse.ok(PairingJson.of(b.pairingStatus()))).orElseGet(() -> unknown(binding));
    }

    @Delete(produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> close(@Nullable @QueryValue String binding) {
        Optional<Binding> chosen = binding == null ? current() : find(binding);
        return chosen.<HttpResponse<?>>map(b -> HttpResponse.ok(PairingJson.of(b.stopPairing()))).orElseGet(() -> unknown(binding));
    }

    private Optional<Binding> find(String id) {
        return bindings.stream().filter(b -> b.id().equals(id)).findFirst();
    }

    private Optional<Binding> current() {
        return bindings.stream().filter(b -> b.pairingStatus().open()).findFirst().or(() -> bindings.stream().findFirst());
    }

    private HttpResponse<?> unknown(String id) {
        return Problem.of(HttpStatus.NOT_FOUND, bindings.isEmpty() ? "This hub has no bindings that pair devices."
                : "There is no binding \"" + id + "\"; use one of: " + known() + ".");
    }

    private String known() {
        return String.join(", ", bindings.stream().map(Binding::id).toList());
    }
}
