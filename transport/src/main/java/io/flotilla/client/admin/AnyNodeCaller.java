package io.flotilla.client.admin;

import io.flotilla.client.error.ErrorMapping;
import io.flotilla.client.error.FlotillaException;
import io.flotilla.client.net.ChannelPool;
import io.flotilla.client.net.NodeHealth;
import io.flotilla.client.retry.Deadline;
import io.flotilla.client.retry.RetryPolicy;
import io.flotilla.client.routing.NodeDirectory;
import io.flotilla.transport.proto.AdminGrpc;
import io.flotilla.transport.proto.KvError;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Makes one admin call on whichever node answers: any node serves admin calls (it forwards to the
 * right leader), so a node that cannot be reached is marked suspect and the next known node is
 * tried, after a backoff. Only transport failures are retried: the server already retried what it
 * could, and its typed errors go to the caller. A call that changes the cluster is retried only
 * on UNAVAILABLE (most often the call never reached the node); a read-only one also when an
 * attempt timed out.
 */
final class AnyNodeCaller {
    private final ChannelPool channels;
    private final NodeDirectory nodes;
    private final NodeHealth health;
    private final RetryPolicy policy;
    private final LongSupplier nanoClock;

    AnyNodeCaller(ChannelPool channels, NodeDirectory nodes, NodeHealth health, RetryPolicy policy,
            LongSupplier nanoClock) {
        this.channels = channels;
        this.nodes = nodes;
        this.health = health;
        this.policy = policy;
        this.nanoClock = nanoClock;
    }

    /**
     * @param readOnly whether the call changes nothing, so retrying after a timeout is safe
     * @param error the response's error, or null when it has none
     */
    <Resp> Resp call(String name, boolean readOnly, Function<AdminGrpc.AdminBlockingStub, Resp> method,
            Function<Resp, KvError> error) {
        Deadline deadline = Deadline.after(policy.requestTimeout(), nanoClock);
        FlotillaException last = null;
        String avoid = null;
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            if (deadline.expired()) {
                throw new FlotillaException.DeadlineExceeded(deadline.timeout(), attempt - 1, last);
            }
            String address = health.choose(nodes.allAddresses(), avoid).orElseThrow();
            Resp response;
            try {
                response = method.apply(AdminGrpc.newBlockingStub(channels.channel(address))
                        .withDeadlineAfter(policy.attemptNanos(deadline), TimeUnit.NANOSECONDS));
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                FlotillaException mapped = ErrorMapping.fromTransport(name, address, e);
                if (code == Status.Code.DEADLINE_EXCEEDED && deadline.expired()) {
                    throw new FlotillaException.DeadlineExceeded(deadline.timeout(), attempt, mapped);
                }
                boolean retry = code == Status.Code.UNAVAILABLE || (readOnly && code == Status.Code.DEADLINE_EXCEEDED);
                if (!retry) {
                    throw mapped;
                }
                health.markSuspect(address);
                last = mapped;
                avoid = address;
                if (attempt < policy.maxAttempts()) {
                    pause(attempt - 1, deadline, last);
                }
                continue;
            }
            health.markHealthy(address);
            KvError kvError = error.apply(response);
            if (kvError != null) {
                FlotillaException mapped = ErrorMapping.fromKvError(kvError);
                if (!changedNothingAndMayPass(kvError) || attempt == policy.maxAttempts()) {
                    throw mapped;
                }
                last = mapped;
                pause(attempt - 1, deadline, last);
                continue;
            }
            return response;
        }
        throw last;
    }

    /**
     * Errors that say the request did nothing because the cluster is moving under it, so the same
     * request may pass in a moment: leadership is changing (NotLeader, ProposalDropped), or the
     * node that resolved a key to a range had not yet applied the split that moved the key
     * (KeyNotInRange: an admin request names a key only when the node resolves it). Anything
     * else (a bad argument, an unknown range id) stays wrong however often it is sent.
     */
    private static boolean changedNothingAndMayPass(KvError error) {
        switch (error.getKindCase()) {
            case NOT_LEADER:
            case PROPOSAL_DROPPED:
            case KEY_NOT_IN_RANGE:
                return true;
            default:
                return false;
        }
    }

    private void pause(int retry, Deadline deadline, FlotillaException last) {
        long delay = policy.backoff().delayNanos(retry);
        if (delay >= deadline.remainingNanos()) {
            throw new FlotillaException.DeadlineExceeded(deadline.timeout(), retry + 1, last);
        }
        try {
            TimeUnit.NANOSECONDS.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlotillaException.RpcFailed("interrupted while retrying an admin call", e);
        }
    }
}
