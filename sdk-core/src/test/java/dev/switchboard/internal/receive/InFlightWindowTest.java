package dev.switchboard.internal.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class InFlightWindowTest {
    @Test
    void takesEverySlotThatIsFreeOnceEnoughAre() throws InterruptedException {
        InFlightWindow window = new InFlightWindow(10);

        assertThat(window.take(4, Integer.MAX_VALUE, 0, TimeUnit.NANOSECONDS)).isEqualTo(10);
        assertThat(window.take(1, Integer.MAX_VALUE, 0, TimeUnit.NANOSECONDS)).isZero();

        window.release(3);
        assertThat(window.take(4, Integer.MAX_VALUE, 0, TimeUnit.NANOSECONDS)).isZero();
        assertThat(window.take(1, Integer.MAX_VALUE, 0, TimeUnit.NANOSECONDS)).isEqualTo(3);
    }

    @Test
    void timesOutWithNothingTakenWhenTooFewSlotsComeFree() throws InterruptedException {
        InFlightWindow window = new InFlightWindow(5);
        window.take(1, Integer.MAX_VALUE, 0, TimeUnit.NANOSECONDS);
        window.release(2);

        assertThat(window.take(3, Integer.MAX_VALUE, 20, TimeUnit.MILLISECONDS)).isZero();
        assertThat(window.take(1, Integer.MAX_VALUE, 0, TimeUnit.NANOSECONDS)).isEqualTo(2);
    }

    @Test
    void aReleaseThatReachesTheWantedCountWakesTheWaiter() throws Exception {
        InFlightWindow window = new InFlightWindow(8);
        window.take(1, Integer.MAX_VALUE, 0, TimeUnit.NANOSECONDS);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Integer> taken = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            try {
                return window.take(4, Integer.MAX_VALUE, 60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        started.await();
        for (int i = 0; i < 5; i++) {
            window.release(1);
        }

        // returns long before its 60 s timeout; it takes everything free when it wakes (4 or 5)
        assertThat(taken.get(30, TimeUnit.SECONDS)).isBetween(4, 5);
    }

    @Test
    void anInterruptedWaitTakesNothing() throws InterruptedException {
        InFlightWindow window = new InFlightWindow(2);
        window.take(1, Integer.MAX_VALUE, 0, TimeUnit.NANOSECONDS);
        Thread waiter = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            while (waiter.getState() != Thread.State.TIMED_WAITING) {
                LockSupport.parkNanos(1_000_000);
            }
            waiter.interrupt();
        });
        interrupter.start();

        assertThatThrownBy(() -> window.take(1, Integer.MAX_VALUE, 60, TimeUnit.SECONDS))
                .isInstanceOf(InterruptedException.class);
        interrupter.join();
        window.release(1);
        assertThat(window.take(1, Integer.MAX_VALUE, 0, TimeUnit.NANOSECONDS)).isEqualTo(1);
    }
}
