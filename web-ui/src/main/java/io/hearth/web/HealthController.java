package io.hearth.web;

import io.hearth.core.lifecycle.HealthReport;
import io.hearth.core.lifecycle.HealthReporter;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * {@code GET /api/v1/health}: open to everyone so supervisors and load balancers can probe it.
 * 200 while the hub serves (UP or DEGRADED), 503 while it starts, stops or an essential part is down.
 */
@Controller("/api/v1/health")
final class HealthController {

    private final HealthReporter reporter;

    HealthController(HealthReporter reporter) {
        this.reporter = reporter;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    HttpResponse<HealthReport> health() {
        HealthReport report = reporter.report();
        return HttpResponse.<HealthReport>status(report.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(report);
    }
}
