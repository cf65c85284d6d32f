package io.hearth.installer;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.concurrent.CountDownLatch;

/** A request that is still being served when the hub is told to stop. Test class path only. */
@Controller("/test/slow")
final class SlowController {

    static final CountDownLatch ENTERED = new CountDownLatch(1);

    @Get(produces = MediaType.TEXT_PLAIN)
    @ExecuteOn(TaskExecutors.BLOCKING)
    String slow() throws InterruptedException {
        ENTERED.countDown();
        Thread.sleep(700);
        return "finished";
    }
}
