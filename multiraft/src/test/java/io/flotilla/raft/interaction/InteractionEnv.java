package io.flotilla.raft.interaction;

import io.flotilla.raft.ProposalDroppedException;
import io.flotilla.raft.Raft;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The world a script runs in: the replicas, the network between them, and the operations the
 * commands are made of. Every operation that can change a replica's role or term runs under
 * {@link #watch}, so the output shows each transition right where it happened.
 */
final class InteractionEnv {
    private static final int MAX_STABILIZE_ROUNDS = 1000;

    private final TreeMap<Long, ScriptNode> nodes = new TreeMap<>();
    private final Network network = new Network();
    /** Options of the first add-nodes, inherited by nodes added later. */
    private Command clusterOptions;

    private record View(StateRole role, long term) {
    }

    // ---------------------------------------------------------------- nodes

    /**
     * The first call creates a group of voters 1..n (minus {@code learners=}, which start as
     * learners). Their storage holds the initial configuration as a snapshot at index 0 (the
     * core's convention, {@link MemoryLogStorage#withVoters}), or with {@code index=K} at
     * index K and term 1, as a host that seeds a new group from a snapshot does. Later calls
     * add empty nodes that know no configuration: they join when a membership change adds them
     * and the leader catches them up, which must be by snapshot (see {@link ScriptNode}).
     */
    void addNodes(Command c) {
        int n = (int) Command.parseLong(c.arg(0), "count");
        if (clusterOptions == null) {
            clusterOptions = c;
            List<Long> voters = new ArrayList<>();
            List<Long> learners = new ArrayList<>();
            List<String> learnerSpec = List.of(c.option("learners", "").split(","));
            for (long id = 1; id <= n; id++) {
                (learnerSpec.contains(Long.toString(id)) ? learners : voters).add(id);
            }
            ConfState cs = new ConfState(voters, learners, List.of(), List.of(), false);
            long index = c.longOption("index", 0);
            for (long id = 1; id <= n; id++) {
                MemoryLogStorage storage = new MemoryLogStorage();
                storage.applySnapshot(new Snapshot(new SnapshotMetadata(cs, index, index == 0 ? 0 : 1), null));
                nodes.put(id, new ScriptNode(NodeOptions.config(id, c), storage));
            }
            return;
        }
        Command merged = inherit(c);
        long first = nodes.lastKey() + 1;
        for (long id = first; id < first + n; id++) {
            nodes.put(id, new ScriptNode(NodeOptions.config(id, merged), new MemoryLogStorage()));
        }
    }

    private Command inherit(Command c) {
        var opts = new java.util.LinkedHashMap<>(clusterOptions.options());
        opts.remove("learners");
        opts.remove("index");
        opts.putAll(c.options());
        return new Command(c.name(), c.args(), opts);
    }

    ScriptNode node(long id) {
        ScriptNode n = nodes.get(id);
        if (n == null) {
            throw new ScriptException("no node " + id);
        }
        return n;
    }

    Collection<ScriptNode> nodes() {
        return nodes.values();
    }

    List<Long> ids() {
        return List.copyOf(nodes.keySet());
    }

    Network network() {
        return network;
    }

    // ---------------------------------------------------------------- transitions

    /** Runs {@code action} on {@code n} and prints the role/term change it caused, if any. */
    void watch(ScriptNode n, String indent, Output out, Runnable action) {
        View before = view(n);
        action.run();
        View after = view(n);
        if (before == null || after == null || before.equals(after)) {
            return;
        }
        String line = n.id() + ": ";
        if (before.role() != after.role()) {
            line += before.role() + " -> " + after.role() + " term=" + after.term();
        } else {
            line += after.role() + " term=" + before.term() + " -> " + after.term();
        }
        out.transition(indent, line);
    }

    private static View view(ScriptNode n) {
        return n.crashed() ? null : new View(n.raft().role(), n.raft().term());
    }

    /** Runs a local request; a refused proposal prints its typed reason instead of failing. */
    void local(ScriptNode n, Output out, Runnable action) {
        watch(n, "", out, () -> {
            try {
                action.run();
            } catch (ProposalDroppedException e) {
                out.add("dropped: " + e.getMessage() + (e.leaderHint() == 0 ? "" : " (leader " + e.leaderHint() + ")"));
            }
        });
    }

    // ---------------------------------------------------------------- ready and delivery

    /** Handles one Ready on each given node that has one; returns whether any had. */
    boolean processReady(Collection<ScriptNode> which, Output out) {
        boolean any = false;
        for (ScriptNode n : which) {
            List<String> lines = new ArrayList<>();
            // Transitions caused by handling the Ready (a removed leader stepping down) are
            // printed after the Ready itself.
            Output transitions = new Output(out.summary());
            boolean[] had = {false};
            watch(n, "  ", transitions, () -> had[0] = n.handleReady(network, lines));
            if (had[0]) {
                any = true;
                lines.forEach(out::detail);
            }
            transitions.lines().forEach(out::add);
        }
        return any;
    }

    /**
     * Delivers up to {@code limit} queued messages matching {@code filter}, oldest first,
     * printing each; a message across a cut or to a crashed node is lost.
     */
    int deliver(Predicate<Network.Envelope> filter, int limit, Output out) {
        int delivered = 0;
        for (Network.Envelope e : network.take(filter, limit)) {
            Message m = e.message();
            String loss = lossReason(e.sender(), m);
            if (loss != null) {
                out.detail(e + " (dropped: " + loss + ")");
                continue;
            }
            out.detail(e.toString());
            ScriptNode to = nodes.get(m.to());
            watch(to, "  ", out, () -> to.node().step(m));
            delivered++;
        }
        return delivered;
    }

    private String lossReason(long sender, Message m) {
        ScriptNode to = nodes.get(m.to());
        if (to == null) {
            return "no node " + m.to();
        }
        if (to.crashed()) {
            return m.to() + " is down";
        }
        if (network.isCut(sender, m.to())) {
            return "partition";
        }
        return null;
    }

    /** Handles Readys and delivers messages until nothing moves (bounded, so a livelock fails). */
    void stabilize(Output out) {
        for (int round = 0; round < MAX_STABILIZE_ROUNDS; round++) {
            boolean moved = processReady(liveNodes(), out);
            if (!moved && network.queued().isEmpty()) {
                return;
            }
            deliver(m -> true, Integer.MAX_VALUE, out);
        }
        throw new ScriptException("no quiescence after " + MAX_STABILIZE_ROUNDS + " rounds");
    }

    List<ScriptNode> liveNodes() {
        return nodes.values().stream().filter(n -> !n.crashed()).toList();
    }

    // ---------------------------------------------------------------- descriptions

    /** One line: role, term, leader, commit, applied, last index. */
    String stateLine(ScriptNode n) {
        if (n.crashed()) {
            return n.id() + ": crashed";
        }
        Raft r = n.raft();
        String line = n.id() + ": " + r.role() + " term=" + r.term() + " lead=" + r.lead() + " commit="
                + r.log().committed() + " applied=" + r.log().applied() + " last=" + r.log().lastIndex();
        return r.isLearner() ? line + " learner" : line;
    }

    void status(ScriptNode n, Output out) {
        if (n.crashed()) {
            out.add(stateLine(n));
            return;
        }
        Raft r = n.raft();
        out.add(stateLine(n) + " vote=" + r.vote());
        out.add("config: " + Formats.confState(r.tracker().config().toConfState()));
        if (r.leadTransferee() != 0) {
            out.add("transferring to " + r.leadTransferee());
        }
        if (r.role() == StateRole.LEADER) {
            r.tracker().forEach((id, p) -> out.add("  " + id + ": " + Formats.progress(p)));
        }
    }

    void log(ScriptNode n, Output out) {
        Raft r = n.raft();
        Snapshot snap = n.storage().snapshot();
        out.add("first=" + r.log().firstIndex() + " last=" + r.log().lastIndex() + " commit=" + r.log().committed()
                + " applied=" + r.log().applied() + " snapshot=" + snap.term() + "/" + snap.index());
        out.add("entries: " + Formats.entries(r.log().allEntries()));
        out.add("state: " + String.join(" ", n.stateMachine()));
    }
}
