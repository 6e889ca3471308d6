package io.flotilla.raft.interaction;

import io.flotilla.raft.Raft;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.message.ConfChangeTransition;
import io.flotilla.raft.message.MessageType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The script commands: parses each line and runs it against an {@link InteractionEnv}.
 * Node ids are positive; {@code all} works where noted. Options are {@code key=value}.
 * <ul>
 *   <li>{@code add-nodes N [pre-vote= check-quorum= election-tick= heartbeat-tick=
 *       priority=1:5,2:1 read-only=safe|lease max-inflight= max-inflight-bytes=
 *       max-size-per-msg= max-uncommitted-size= disable-forwarding= learners=4,5 index=K]}:
 *       the first call creates the group (voters 1..N, seeded at index K, default 0); later
 *       calls add empty nodes that join through a membership change.</li>
 *   <li>{@code campaign ID}, {@code tick ID|all [N]}, {@code tick-election ID} (until the
 *       randomized timeout fires, or the leader's check-quorum), {@code tick-heartbeat ID}.</li>
 *   <li>{@code propose ID DATA...}, {@code propose-conf-change ID [v4 l5 r2]
 *       [transition=auto|joint-implicit|joint-explicit]} (no changes: leave joint),
 *       {@code transfer-leader ID TO}, {@code read-index ID CTX},
 *       {@code report-unreachable ID PEER}, {@code report-snapshot ID PEER ok|fail}.</li>
 *   <li>{@code process-ready ID...|all}: handle one Ready per node, printing it;
 *       {@code stabilize [summary]}: Readys and deliveries until nothing moves.</li>
 *   <li>Network: {@code deliver|drop [from= to= type=A,B limit=]}, {@code duplicate [from= to=
 *       type=]}, {@code queued}, {@code partition 1,2 / 3}, {@code isolate ID},
 *       {@code heal}.</li>
 *   <li>Hosts: {@code compact ID INDEX}, {@code crash ID}, {@code restart ID}.</li>
 *   <li>Inspection: {@code raft-state}, {@code status ID}, {@code log ID}.</li>
 * </ul>
 */
final class Commands {
    private final InteractionEnv env = new InteractionEnv();

    /** Runs one command line and returns what it printed ({@code ok} when nothing). */
    List<String> run(String line) {
        Command c = Command.parse(line);
        Output out = new Output(c.name().equals("stabilize") && c.args().contains("summary"));
        dispatch(c, out);
        List<String> lines = new ArrayList<>();
        for (String l : out.lines()) {
            if (!l.isBlank()) {
                lines.add(l.stripTrailing());
            }
        }
        return lines.isEmpty() ? List.of("ok") : lines;
    }

    private void dispatch(Command c, Output out) {
        switch (c.name()) {
            case "add-nodes" -> {
                c.allowOnly(NodeOptions.KEYS);
                env.addNodes(c);
            }
            case "campaign" -> {
                ScriptNode n = env.node(c.id(0));
                env.local(n, out, () -> n.node().campaign());
            }
            case "tick" -> tick(c, out);
            case "tick-election" -> {
                ScriptNode n = env.node(c.id(0));
                Raft r = n.raft();
                int ticks = r.role() == StateRole.LEADER
                        ? r.config().electionTick() - r.electionElapsed()
                        : r.randomizedElectionTimeout() - r.electionElapsed();
                tickNode(n, Math.max(1, ticks), out);
            }
            case "tick-heartbeat" -> {
                ScriptNode n = env.node(c.id(0));
                tickNode(n, n.raft().config().heartbeatTick(), out);
            }
            case "deliver" -> {
                c.allowOnly("from", "to", "type", "limit");
                env.deliver(filter(c), (int) c.longOption("limit", Integer.MAX_VALUE), out);
            }
            case "drop" -> {
                c.allowOnly("from", "to", "type", "limit");
                for (Network.Envelope e : env.network().take(filter(c), (int) c.longOption("limit", Integer.MAX_VALUE))) {
                    out.add("dropped: " + e);
                }
            }
            case "duplicate" -> {
                c.allowOnly("from", "to", "type");
                for (Network.Envelope e : env.network().duplicate(filter(c))) {
                    out.add("duplicated: " + e);
                }
            }
            case "queued" -> env.network().queued().forEach(e -> out.add(e.toString()));
            case "partition" -> partition(c);
            case "isolate" -> {
                long id = c.id(0);
                env.ids().forEach(other -> env.network().cut(id, other));
            }
            case "heal" -> env.network().heal();
            case "propose" -> {
                ScriptNode n = env.node(c.id(0));
                for (String data : c.args().subList(1, c.args().size())) {
                    env.local(n, out, () -> n.node().propose(data.getBytes(StandardCharsets.UTF_8)));
                }
            }
            case "propose-conf-change" -> {
                c.allowOnly("transition");
                ScriptNode n = env.node(c.id(0));
                ConfChange cc = confChange(c);
                env.local(n, out, () -> n.node().proposeConfChange(cc));
            }
            case "transfer-leader" -> {
                ScriptNode n = env.node(c.id(0));
                long to = c.id(1);
                env.local(n, out, () -> n.node().transferLeader(to));
            }
            case "read-index" -> {
                ScriptNode n = env.node(c.id(0));
                byte[] ctx = c.arg(1).getBytes(StandardCharsets.UTF_8);
                env.local(n, out, () -> n.node().readIndex(ctx));
            }
            case "report-unreachable" -> {
                ScriptNode n = env.node(c.id(0));
                long peer = c.id(1);
                env.local(n, out, () -> n.node().reportUnreachable(peer));
            }
            case "report-snapshot" -> {
                ScriptNode n = env.node(c.id(0));
                long peer = c.id(1);
                boolean ok = switch (c.arg(2)) {
                    case "ok" -> true;
                    case "fail" -> false;
                    default -> throw new ScriptException("report-snapshot wants ok or fail");
                };
                env.local(n, out, () -> n.node().reportSnapshot(peer, ok));
            }
            case "compact" -> {
                String err = env.node(c.id(0)).compact(c.id(1));
                if (err != null) {
                    out.add(err);
                }
            }
            case "crash" -> env.node(c.id(0)).crash();
            case "restart" -> {
                ScriptNode n = env.node(c.id(0));
                n.crash();
                n.restart();
                Raft r = n.raft();
                out.add(n.id() + ": restarted as " + r.role() + " " + Formats.hardState(r.hardState()) + " applied="
                        + r.log().applied() + " last=" + r.log().lastIndex());
            }
            case "process-ready" -> env.processReady(targets(c), out);
            case "stabilize" -> {
                env.stabilize(out);
                if (out.summary()) {
                    env.nodes().forEach(n -> out.add(env.stateLine(n)));
                }
            }
            case "status" -> env.status(env.node(c.id(0)), out);
            case "raft-state" -> env.nodes().forEach(n -> out.add(env.stateLine(n)));
            case "log" -> env.log(env.node(c.id(0)), out);
            default -> throw new ScriptException("unknown command " + c.name());
        }
    }

    private void tick(Command c, Output out) {
        int times = c.intArg(1, 1);
        if (c.arg(0).equals("all")) {
            for (int i = 0; i < times; i++) {
                for (ScriptNode n : env.liveNodes()) {
                    tickNode(n, 1, out);
                }
            }
        } else {
            tickNode(env.node(c.id(0)), times, out);
        }
    }

    private void tickNode(ScriptNode n, int times, Output out) {
        for (int i = 0; i < times; i++) {
            env.watch(n, "", out, () -> n.node().tick());
        }
    }

    private List<ScriptNode> targets(Command c) {
        if (c.arg(0).equals("all")) {
            return env.liveNodes();
        }
        List<ScriptNode> out = new ArrayList<>();
        for (int i = 0; i < c.args().size(); i++) {
            out.add(env.node(c.id(i)));
        }
        return out;
    }

    /** {@code partition 1,2 / 3}: no traffic between any two groups; unlisted nodes keep every link. */
    private void partition(Command c) {
        String spec = String.join(" ", c.args());
        List<Set<Long>> groups = new ArrayList<>();
        for (String g : spec.split("/")) {
            groups.add(Arrays.stream(g.trim().split("[,\\s]+")).map(s -> Command.parseLong(s, "node id"))
                    .collect(Collectors.toSet()));
        }
        if (groups.size() < 2) {
            throw new ScriptException("partition wants at least two groups: 1,2 / 3");
        }
        for (int i = 0; i < groups.size(); i++) {
            for (int j = i + 1; j < groups.size(); j++) {
                for (long a : groups.get(i)) {
                    for (long b : groups.get(j)) {
                        env.network().cut(a, b);
                    }
                }
            }
        }
    }

    /** {@code v4 l5 r2}; no changes at all means "leave the joint configuration". */
    private static ConfChange confChange(Command c) {
        List<ConfChangeSingle> changes = new ArrayList<>();
        for (String w : c.args().subList(1, c.args().size())) {
            long id = Command.parseLong(w.substring(1), "node id");
            changes.add(switch (w.charAt(0)) {
                case 'v' -> ConfChangeSingle.addVoter(id);
                case 'l' -> ConfChangeSingle.addLearner(id);
                case 'r' -> ConfChangeSingle.remove(id);
                default -> throw new ScriptException("conf change wants v<id>, l<id> or r<id>, got " + w);
            });
        }
        ConfChangeTransition t = switch (c.option("transition", "auto")) {
            case "auto" -> ConfChangeTransition.AUTO;
            case "joint-implicit" -> ConfChangeTransition.JOINT_IMPLICIT;
            case "joint-explicit" -> ConfChangeTransition.JOINT_EXPLICIT;
            default -> throw new ScriptException("transition must be auto, joint-implicit or joint-explicit");
        };
        return new ConfChange(t, changes, null);
    }

    private static MessageType messageType(String s) {
        try {
            return MessageType.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new ScriptException("unknown message type " + s);
        }
    }

    /** Matches on {@code from=}, {@code to=} and {@code type=} (comma-separated types). */
    private static Predicate<Network.Envelope> filter(Command c) {
        long from = c.longOption("from", 0);
        long to = c.longOption("to", 0);
        Set<MessageType> types = c.has("type")
                ? Arrays.stream(c.option("type", "").split(",")).map(Commands::messageType)
                        .collect(Collectors.toSet())
                : null;
        return e -> (from == 0 || e.sender() == from) && (to == 0 || e.message().to() == to)
                && (types == null || types.contains(e.message().type()));
    }
}
