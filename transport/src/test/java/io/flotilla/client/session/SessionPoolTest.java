package io.flotilla.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Rules: leases held together never share a client id; a reused session continues its seq; ids are never 0. */
class SessionPoolTest {

    @Test
    void leasesHeldTogetherHaveDistinctClientIds() {
        SessionPool pool = new SessionPool(100);
        List<SessionPool.Lease> held = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            SessionPool.Lease lease = pool.acquire();
            held.add(lease);
            ids.add(lease.clientId());
        }
        assertThat(ids).hasSize(50).doesNotContain(0L);
        held.forEach(SessionPool.Lease::close);
        assertThat(pool.idleSessions()).isEqualTo(50);
    }

    @Test
    void aReleasedSessionIsReusedWithTheNextSeq() {
        SessionPool pool = new SessionPool(100);
        SessionPool.Lease first = pool.acquire();
        first.close();
        SessionPool.Lease second = pool.acquire();

        assertThat(second.clientId()).isEqualTo(first.clientId());
        assertThat(second.seq()).isEqualTo(first.seq() + 1);
    }

    @Test
    void closingALeaseTwiceReturnsItOnce() {
        SessionPool pool = new SessionPool(100);
        SessionPool.Lease lease = pool.acquire();
        lease.close();
        lease.close();

        assertThat(pool.idleSessions()).isEqualTo(1);
        assertThat(pool.acquire().clientId()).isEqualTo(lease.clientId());
        assertThat(pool.acquire().clientId()).as("not handed out twice").isNotEqualTo(lease.clientId());
    }

    @Test
    void idleSessionsBeyondTheBoundAreDropped() {
        SessionPool pool = new SessionPool(2);
        List<SessionPool.Lease> held = List.of(pool.acquire(), pool.acquire(), pool.acquire());
        held.forEach(SessionPool.Lease::close);

        assertThat(pool.idleSessions()).isEqualTo(2);
    }

    @Test
    void anIdSourceReturningZeroIsSkipped() {
        AtomicLong next = new AtomicLong(0);
        SessionPool pool = new SessionPool(10, next::getAndIncrement);

        assertThat(pool.acquire().clientId()).isEqualTo(1);
    }

    @Test
    void concurrentLeasesFromManyThreadsNeverShareAnId() throws Exception {
        SessionPool pool = new SessionPool(1000);
        int threads = 8;
        int rounds = 2000;
        Set<Long> inUse = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Throwable> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                for (int i = 0; i < rounds; i++) {
                    SessionPool.Lease lease = pool.acquire();
                    if (!inUse.add(lease.clientId())) {
                        problems.add(new AssertionError("client id " + lease.clientId() + " leased twice"));
                    }
                    inUse.remove(lease.clientId());
                    lease.close();
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(30_000);
            assertThat(worker.isAlive()).isFalse();
        }
        assertThat(problems).isEmpty();
        assertThat(pool.idleSessions()).isLessThanOrEqualTo(threads);
    }
}
