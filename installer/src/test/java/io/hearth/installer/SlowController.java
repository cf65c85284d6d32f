package io.hearth.installer;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.concurrent.CountDownLatch;

/** A request that is still being served when the hub is told to stop. Test class path only. */
@Controller("/test/slow")
@io.micronaut.context.annotation.Requires(beans = SlowController.Gate.class)
final class SlowController {

    /** Opened when the request has arrived; registered by the test that wants this route. */
    static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
    }

    private final Gate gate;

    SlowController(Gate gate) {
        this.gate = gate;
    }

    @Get(produces = MediaType.TEXT_PLAIN)
    @ExecuteOn(TaskExecutors.BLOCKING)
    String slow() throws InterruptedException {
        gate.entered.countDown();
        Thread.sleep(700);
        return "finished";
    }
}
