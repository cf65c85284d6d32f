package io.hearth.web;

import io.hearth.core.cloud.CloudState;
import io.hearth.core.cloud.CloudStatus;
import io.hearth.core.config.CloudConfig;
import io.hearth.core.config.HearthConfig;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/cloud} (owners): the outbound cloud link's state, and where it is configured to
 * go ({@code upstream}, {@code thingName}, {@code mode}) when it is enabled; "not enabled" when the
 * hub has no link.
 */
@Controller("/api/v1/cloud")
final class CloudController {

    private final Optional<CloudState> cloud;
    private final CloudConfig config;

    CloudController(Optional<CloudState> cloud, HearthConfig config) {
        this.cloud = cloud;
        this.config = config.cloud();
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    Map<String, Object> status() {
        CloudStatus status = cloud.map(CloudState::status).orElseGet(() -> new CloudStatus(false, false, null, 0, null));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("enabled", status.enabled());
        json.put("connected", status.connected());
        json.put("since", status.since());
        json.put("queued", status.queued());
        json.put("lastError", status.lastError());
        if (status.enabled()) {
            json.put("upstream", withoutUserInfo(config.url()));
            json.put("thingName", config.thingName());
            json.put("mode", config.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return json;
    }

    /** A URL may carry a login ({@code user:password@host}); the page never shows it. */
    private static String withoutUserInfo(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getRawUserInfo() == null) {
                return url;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null).toString();
        } catch (URISyntaxException e) {
            return "(a URL that cannot be read: check hearth.cloud.url)";
        }
    }
}
