package io.hearth.web;

import io.hearth.core.cloud.CloudState;
import io.hearth.core.cloud.CloudStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.Optional;

/** {@code GET /api/v1/cloud} (owners): the outbound cloud link's state; "not enabled" when the hub has none. */
@Controller("/api/v1/cloud")
final class CloudController {

    private final Optional<CloudState> cloud;

    CloudController(Optional<CloudState> cloud) {
        this.cloud = cloud;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    CloudStatus status() {
        return cloud.map(CloudState::status).orElseGet(() -> new CloudStatus(false, false, null, 0, null));
    }
}
