package io.flotilla.store.server;

import com.google.protobuf.ByteString;
import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.store.range.RangeException;
import io.flotilla.store.range.ReplicaDescriptor;
import io.flotilla.transport.proto.EpochNotMatch;
import io.flotilla.transport.proto.InvalidArgument;
import io.flotilla.transport.proto.KeyNotInRange;
import io.flotilla.transport.proto.KvError;
import io.flotilla.transport.proto.NotLeader;
import io.flotilla.transport.proto.ProposalDropped;
import io.flotilla.transport.proto.RangeNotFound;
import io.flotilla.transport.proto.Replica;
import io.flotilla.transport.proto.ResourceExhausted;
import io.flotilla.transport.proto.Timeout;
import io.flotilla.transport.raft.AddressBook;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Our range types to their wire form and back, and failures to the typed {@link KvError} a
 * client acts on. The proto has its own {@code RangeDescriptor}; ours is imported, the wire one
 * is always written qualified.
 */
public final class ProtoConvert {
    private ProtoConvert() {
    }

    public static io.flotilla.transport.proto.RangeDescriptor toProto(RangeDescriptor d) {
        var b = io.flotilla.transport.proto.RangeDescriptor.newBuilder().setRangeId(d.rangeId())
                .setStartKey(ByteString.copyFrom(d.startKey())).setEndKey(ByteString.copyFrom(d.endKey()))
                .setVersion(d.version()).setConfVersion(d.confVersion());
        for (ReplicaDescriptor r : d.replicas()) {
            b.addReplicas(Replica.newBuilder().setNodeId(r.nodeId()).setReplicaId(r.replicaId()).setLearner(r.learner()));
        }
        return b.build();
    }

    public static RangeDescriptor fromProto(io.flotilla.transport.proto.RangeDescriptor p) {
        return new RangeDescriptor(p.getRangeId(), p.getStartKey().toByteArray(), p.getEndKey().toByteArray(),
                replicas(p.getReplicasList()), p.getVersion(), p.getConfVersion());
    }

    public static List<ReplicaDescriptor> replicas(List<Replica> wire) {
        List<ReplicaDescriptor> out = new ArrayList<>(wire.size());
        for (Replica r : wire) {
            out.add(new ReplicaDescriptor(r.getNodeId(), r.getReplicaId(), r.getLearner()));
        }
        return out;
    }

    public static Replica toProto(ReplicaDescriptor r) {
        return Replica.newBuilder().setNodeId(r.nodeId()).setReplicaId(r.replicaId()).setLearner(r.learner()).build();
    }

    /** The failure without the wrappers futures add around it. */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * The typed error for a failure, or null if it is none we know (a bug or a storage failure:
     * the caller turns that into a gRPC INTERNAL status rather than invent advice for the client).
     * A {@link NotLeader} carries the leader's address from {@code book} when it is known.
     */
    public static KvError toKvError(Throwable failure, AddressBook book) {
        Throwable t = unwrap(failure);
        KvError.Builder e = KvError.newBuilder().setMessage(String.valueOf(t.getMessage()));
        if (t instanceof RangeException re) {
            return rangeError(re, e, book);
        }
        if (t instanceof TimeoutException) {
            return e.setMessage(t.getMessage() == null ? "the request's deadline passed" : t.getMessage())
                    .setTimeout(Timeout.getDefaultInstance()).build();
        }
        if (t instanceof io.flotilla.raft.ProposalDroppedException) {
            return e.setProposalDropped(ProposalDropped.getDefaultInstance()).build();
        }
        return null;
    }

    /** The typed error for a {@link RangeException}: the two sealed sets map one to one. */
    public static KvError toKvError(RangeException re, AddressBook book) {
        return rangeError(re, KvError.newBuilder().setMessage(String.valueOf(re.getMessage())), book);
    }

    private static KvError rangeError(RangeException re, KvError.Builder e, AddressBook book) {
        if (re instanceof RangeException.NotLeader nl) {
            NotLeader.Builder n = NotLeader.newBuilder().setRangeId(nl.rangeId()).setLeaderNodeId(nl.leaderNode());
            String address = nl.leaderNode() == 0 ? null : book.get(nl.leaderNode());
            if (address != null) {
                n.setLeaderAddress(address);
            }
            return e.setNotLeader(n).build();
        }
        if (re instanceof RangeException.RangeNotFound nf) {
            return e.setRangeNotFound(RangeNotFound.newBuilder().setRangeId(nf.rangeId())).build();
        }
        if (re instanceof RangeException.EpochNotMatch m) {
            EpochNotMatch.Builder b = EpochNotMatch.newBuilder();
            m.current().forEach(d -> b.addCurrent(toProto(d)));
            return e.setEpochNotMatch(b).build();
        }
        if (re instanceof RangeException.KeyNotInRange k) {
            KeyNotInRange.Builder b = KeyNotInRange.newBuilder();
            b.setKey(ByteString.copyFrom(k.key()));
            if (k.descriptor() != null && k.descriptor().rangeId() != 0) {
                b.setRange(toProto(k.descriptor()));
            }
            return e.setKeyNotInRange(b).build();
        }
        if (re instanceof RangeException.ProposalDropped) {
            return e.setProposalDropped(ProposalDropped.getDefaultInstance()).build();
        }
        if (re instanceof RangeException.Timeout) {
            return e.setTimeout(Timeout.getDefaultInstance()).build();
        }
        if (re instanceof RangeException.InvalidArgument) {
            return e.setInvalidArgument(InvalidArgument.getDefaultInstance()).build();
        }
        if (re instanceof RangeException.NodeNotFound nn) {
            return e.setNodeNotFound(io.flotilla.transport.proto.NodeNotFound.newBuilder().setNodeId(nn.nodeId())).build();
        }
        if (re instanceof RangeException.FailedPrecondition) {
            return e.setFailedPrecondition(io.flotilla.transport.proto.FailedPrecondition.getDefaultInstance()).build();
        }
        return e.setResourceExhausted(ResourceExhausted.getDefaultInstance()).build();
    }

    public static KvError invalidArgument(String why) {
        return KvError.newBuilder().setMessage("invalid argument: " + why)
                .setInvalidArgument(InvalidArgument.getDefaultInstance()).build();
    }

    public static KvError resourceExhausted(String why) {
        return KvError.newBuilder().setMessage("resource exhausted: " + why)
                .setResourceExhausted(ResourceExhausted.getDefaultInstance()).build();
    }

    public static KvError timeout(String what) {
        return KvError.newBuilder().setMessage("timed out: " + what).setTimeout(Timeout.getDefaultInstance()).build();
    }

    public static KvError notLeader(long rangeId, long leaderNode, AddressBook book) {
        return toKvError(new RangeException.NotLeader(rangeId, leaderNode), book);
    }

    public static KvError rangeNotFound(long rangeId) {
        return KvError.newBuilder().setMessage("range " + rangeId + " is not known to the cluster")
                .setRangeNotFound(RangeNotFound.newBuilder().setRangeId(rangeId)).build();
    }
}
