package io.flotilla.client.session;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Write sessions for deduplication. The server remembers only the latest {@code seq} per
 * {@code client_id} and treats anything at or below it as a retry, so two writes in flight under
 * one client id could make the server drop the one with the lower seq as a "retry". Each write
 * therefore leases a session of its own for its whole life (all its retries reuse the leased
 * {@code (clientId, seq)}), and the session goes back to the pool when the write finishes.
 *
 * <p>The pool grows to the peak number of concurrent writes; idle sessions beyond
 * {@code maxIdle} are dropped (a fresh random id costs nothing but a dedup entry on the server).
 */
public final class SessionPool {
    private final ConcurrentLinkedDeque<Session> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final int maxIdle;
    private final LongSupplier ids;

    public SessionPool(int maxIdle) {
        this(maxIdle, randomIds());
    }

    /** With a given id source; ids of 0 (which opts out of deduplication) are skipped. */
    public SessionPool(int maxIdle, LongSupplier ids) {
        this.maxIdle = maxIdle;
        this.ids = ids;
    }

    private static LongSupplier randomIds() {
        SecureRandom random = new SecureRandom();
        return random::nextLong;
    }

    /** Leases a session and takes its next sequence number. */
    public Lease acquire() {
        Session session = idle.pollFirst();
        if (session != null) {
            idleCount.decrementAndGet();
        } else {
            session = new Session(newId());
        }
        return new Lease(session, session.nextSeq++);
    }

    private long newId() {
        for (int i = 0; i < 16; i++) {
            long id = ids.getAsLong();
            if (id != 0) {
                return id;
            }
        }
        throw new IllegalStateException("the session id source keeps returning 0");
    }

    private void release(Session session) {
        if (idleCount.incrementAndGet() <= maxIdle) {
            // LIFO: the most recently used sessions are reused, the rest age out of use.
            idle.offerFirst(session);
        } else {
            idleCount.decrementAndGet();
        }
    }

    /** Idle sessions held now. */
    public int idleSessions() {
        return idleCount.get();
    }

    /**
     * One write's identity. Its fields stay fixed across retries; {@link #close()} returns the
     * session to the pool and may be called more than once.
     */
    public final class Lease implements AutoCloseable {
        private final Session session;
        private final long seq;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Session session, long seq) {
            this.session = session;
            this.seq = seq;
        }

        public long clientId() {
            return session.clientId;
        }

        public long seq() {
            return seq;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release(session);
            }
        }
    }

    /** A client id and its next seq. Only the lease holder touches nextSeq; the deque hands it over safely. */
    private static final class Session {
        private final long clientId;
        private long nextSeq = 1;

        private Session(long clientId) {
            this.clientId = clientId;
        }
    }
}
