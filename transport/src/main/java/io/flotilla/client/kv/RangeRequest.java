package io.flotilla.client.kv;

import io.flotilla.client.error.ErrorMapping;
import io.flotilla.client.error.FlotillaException;
import io.flotilla.client.error.KeyText;
import io.flotilla.client.net.UnaryCall;
import io.flotilla.client.retry.Deadline;
import io.flotilla.client.routing.Leader;
import io.flotilla.client.routing.RangeBounds;
import io.flotilla.client.session.SessionPool;
import io.flotilla.transport.proto.KvError;
import io.flotilla.transport.proto.LocateRequest;
import io.flotilla.transport.proto.LocateResponse;
import io.flotilla.transport.proto.NotLeader;
import io.flotilla.transport.proto.RangeDescriptor;
import io.flotilla.transport.proto.Replica;
import io.flotilla.transport.proto.RequestHeader;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One KV call from first attempt to outcome. An attempt finds the range holding the key (the
 * routing cache, else {@code Locate} on some known node), sends the call to the range's leader
 * (else a replica, else any node) and reads the answer:
 *
 * <ul>
 *   <li>NotLeader with a hint: remember the leader, retry there at once; without one: forget
 *       the leader, back off, try another replica.
 *   <li>EpochNotMatch: replace the cached routing with the descriptors it carries, retry at once.
 *   <li>RangeNotFound, KeyNotInRange: drop the cached route, back off, locate again.
 *   <li>ProposalDropped, Timeout: back off, retry.
 *   <li>InvalidArgument, ResourceExhausted, an unknown kind: fail at once.
 *   <li>gRPC UNAVAILABLE or a missed attempt deadline: mark the node suspect, forget it as leader,
 *       back off, try another node.
 * </ul>
 *
 * It stops after {@code maxAttempts} attempts with the last failure, or at the deadline with
 * {@link FlotillaException.DeadlineExceeded}. A write leases one session for its whole life, so
 * every attempt carries the same {@code (client_id, seq)} and the server applies it at most once.
 *
 * <p>Attempts never overlap, so the fields need no locks: each step runs after the previous one
 * completed a future or a timer task, which orders the memory accesses.
 */
final class RangeRequest<Req, Resp, T> {
    private final RequestRouter router;
    private final KvCall<Req, Resp, T> call;
    private final Deadline deadline;
    private final SessionPool.Lease lease;
    private final CompletableFuture<T> outcome = new CompletableFuture<>();
    private int attempts;
    private int backoffs;
    private FlotillaException lastFailure;
    /** The node that last failed us, passed over when another candidate exists. */
    private String avoid;

    RangeRequest(RequestRouter router, KvCall<Req, Resp, T> call, Deadline deadline) {
        this.router = router;
        this.call = call;
        this.deadline = deadline;
        this.lease = call.isWrite() ? router.sessions.acquire() : null;
    }

    CompletableFuture<T> start() {
        // A backstop for an outcome completed from outside (a caller cancelling it).
        outcome.whenComplete((value, failure) -> releaseSession());
        attempt();
        return outcome;
    }

    /**
     * Gives the write's session back before the outcome is known to anyone: a caller woken by
     * the outcome may write again at once, and must find the session in the pool (the next
     * seq of the same client id) rather than a fresh one. (Released from a callback on the
     * outcome, it came back after the caller's own callbacks had run.)
     */
    private void releaseSession() {
        if (lease != null) {
            lease.close();
        }
    }

    private void attempt() {
        if (router.closed()) {
            fail(RequestRouter.closedFailure());
            return;
        }
        if (deadline.expired()) {
            fail(new FlotillaException.DeadlineExceeded(deadline.timeout(), attempts, lastFailure));
            return;
        }
        attempts++;
        Optional<RangeDescriptor> route = router.routing.lookup(call.routingKey());
        try {
            if (route.isPresent()) {
                send(route.get());
            } else {
                locate();
            }
        } catch (RuntimeException e) {
            failFromClient(e);
        }
    }

    /** A route check, a closed channel pool or a bug must fail the call, never leave it hanging. */
    private void failFromClient(RuntimeException e) {
        fail(e instanceof FlotillaException ? (FlotillaException) e
                : router.closed() ? RequestRouter.closedFailure()
                : new FlotillaException.RpcFailed(call.name() + " failed in the client: " + e, e));
    }

    private void locate() {
        String address = router.health.choose(router.nodes.allAddresses(), avoid).orElseThrow();
        long attemptNanos = router.policy.attemptNanos(deadline);
        LocateRequest request = LocateRequest.newBuilder().setKey(call.routingKey()).build();
        UnaryCall.call(router.stub(address, attemptNanos)::locate, request).whenComplete((response, failure) -> {
            if (failure != null) {
                onTransportFailure(null, address, failure);
            } else if (response.hasError()) {
                router.health.markHealthy(address);
                onKvError(null, address, response.getError());
            } else {
                router.health.markHealthy(address);
                onLocated(address, response);
            }
        });
    }

    private void onLocated(String address, LocateResponse response) {
        if (!response.hasRange() || !RangeBounds.contains(response.getRange(), call.routingKey())) {
            lastFailure = new FlotillaException.RpcFailed("Locate at " + address
                    + " answered with no range holding key " + KeyText.of(call.routingKey()), null);
            avoid = address;
            retryAfterBackoff();
            return;
        }
        RangeDescriptor range = response.getRange();
        router.routing.put(range);
        if (response.getLeaderNodeId() != 0) {
            learnLeader(range.getRangeId(), response.getLeaderNodeId(), response.getLeaderAddress());
        }
        try {
            send(range);
        } catch (RuntimeException e) {
            failFromClient(e);
        }
    }

    private void send(RangeDescriptor range) {
        call.checkRoute(range);
        String address = target(range);
        long attemptNanos = router.policy.attemptNanos(deadline);
        RequestHeader.Builder header = RequestHeader.newBuilder()
                .setRangeId(range.getRangeId())
                .setRangeVersion(range.getVersion())
                .setTimeoutMs((int) Math.max(1,
                        Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(attemptNanos))));
        if (lease != null) {
            header.setClientId(lease.clientId()).setSeq(lease.seq());
        }
        if (router.health.wasMarked(address)) {
            // A node we gave up on earlier: let its channel reconnect now rather than after gRPC's backoff.
            router.channels.resetConnectBackoff(address);
        }
        UnaryCall.<RequestHeader, Resp>call((h, observer) -> call.send(router.stub(address, attemptNanos), h, observer),
                header.build()).whenComplete((response, failure) -> {
                    if (failure != null) {
                        onTransportFailure(range, address, failure);
                        return;
                    }
                    router.health.markHealthy(address);
                    KvError error = call.error(response);
                    if (error != null) {
                        onKvError(range, address, error);
                        return;
                    }
                    T value;
                    try {
                        value = call.result(response);
                    } catch (RuntimeException e) {
                        fail(e instanceof FlotillaException ? (FlotillaException) e
                                : new FlotillaException.RpcFailed(call.name() + " response from " + address
                                        + " is malformed: " + e, e));
                        return;
                    }
                    releaseSession();
                    outcome.complete(value);
                });
    }

    /**
     * The range's leader if known; else one of its voters we can address and have no reason to
     * doubt (not suspect, not the node that just failed us); else any known node (which may not
     * hold the range, but can point to its leader).
     */
    private String target(RangeDescriptor range) {
        Optional<Leader> leader = router.leaders.get(range.getRangeId());
        if (leader.isPresent()) {
            return leader.get().address();
        }
        List<String> replicas = new ArrayList<>();
        for (Replica replica : range.getReplicasList()) {
            if (!replica.getLearner()) {
                router.nodes.address(replica.getNodeId())
                        .filter(address -> !address.equals(avoid) && !router.health.isSuspect(address))
                        .ifPresent(replicas::add);
            }
        }
        List<String> candidates = replicas.isEmpty() ? router.nodes.allAddresses() : replicas;
        return router.health.choose(candidates, avoid).orElseThrow();
    }

    private void onTransportFailure(RangeDescriptor range, String address, Throwable failure) {
        if (router.closed()) {
            fail(RequestRouter.closedFailure());
            return;
        }
        String what = range == null ? "Locate" : call.name();
        FlotillaException mapped = ErrorMapping.fromTransport(what, address, failure);
        if (!ErrorMapping.nodeUnreachable(failure)) {
            fail(mapped);
            return;
        }
        if (Status.fromThrowable(failure).getCode() == Status.Code.DEADLINE_EXCEEDED && deadline.expired()) {
            // The request's own deadline cut this attempt short; the failure before it (if any) says
            // more about why the request did not finish than the cut does.
            fail(new FlotillaException.DeadlineExceeded(deadline.timeout(), attempts,
                    lastFailure != null ? lastFailure : mapped));
            return;
        }
        router.health.markSuspect(address);
        if (range != null) {
            router.leaders.invalidate(range.getRangeId(), address);
        }
        lastFailure = mapped;
        avoid = address;
        retryAfterBackoff();
    }

    private void onKvError(RangeDescriptor range, String address, KvError error) {
        FlotillaException failure = ErrorMapping.fromKvError(error);
        lastFailure = failure;
        switch (error.getKindCase()) {
            case NOT_LEADER:
                onNotLeader(range, address, error.getNotLeader());
                return;
            case EPOCH_NOT_MATCH:
                if (range != null) {
                    router.routing.invalidate(range);
                }
                router.routing.putAll(error.getEpochNotMatch().getCurrentList());
                retryNow();
                return;
            case RANGE_NOT_FOUND:
                if (range != null) {
                    router.routing.invalidate(range);
                    router.leaders.invalidate(range.getRangeId(), address);
                }
                avoid = address;
                retryAfterBackoff();
                return;
            case KEY_NOT_IN_RANGE:
                if (range != null) {
                    router.routing.invalidate(range);
                }
                retryAfterBackoff();
                return;
            case PROPOSAL_DROPPED:
            case TIMEOUT:
                retryAfterBackoff();
                return;
            default:
                fail(failure);
        }
    }

    private void onNotLeader(RangeDescriptor range, String address, NotLeader notLeader) {
        long rangeId = range != null ? range.getRangeId() : notLeader.getRangeId();
        if (notLeader.getLeaderNodeId() != 0) {
            Optional<Leader> hinted = learnLeader(rangeId, notLeader.getLeaderNodeId(), notLeader.getLeaderAddress());
            if (hinted.isPresent() && !hinted.get().address().equals(address)) {
                retryNow();
                return;
            }
        }
        // No usable hint: the leader is unknown or being elected. Ask elsewhere after a pause.
        router.leaders.invalidate(rangeId, address);
        avoid = address;
        retryAfterBackoff();
    }

    private Optional<Leader> learnLeader(long rangeId, long nodeId, String address) {
        router.nodes.learn(nodeId, address);
        Optional<String> known = address.isEmpty() ? router.nodes.address(nodeId) : Optional.of(address);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        Leader leader = new Leader(nodeId, known.get());
        router.leaders.put(rangeId, leader);
        return Optional.of(leader);
    }

    private void retryNow() {
        if (attempts >= router.policy.maxAttempts()) {
            fail(lastFailure);
            return;
        }
        attempt();
    }

    private void retryAfterBackoff() {
        if (attempts >= router.policy.maxAttempts()) {
            fail(lastFailure);
            return;
        }
        long delay = router.policy.backoff().delayNanos(backoffs++);
        if (delay >= deadline.remainingNanos()) {
            // No attempt could start before the deadline; say so now rather than sleep through it.
            fail(new FlotillaException.DeadlineExceeded(deadline.timeout(), attempts, lastFailure));
            return;
        }
        if (!router.schedule(this::attempt, delay)) {
            fail(RequestRouter.closedFailure());
        }
    }

    private void fail(FlotillaException failure) {
        releaseSession();
        outcome.completeExceptionally(failure != null ? failure
                : new FlotillaException.RpcFailed(call.name() + " gave up after " + attempts + " attempts", null));
    }
}
