package io.flotilla.store.cli;

import io.flotilla.client.FlotillaClient;
import io.flotilla.client.admin.AdminClient;
import io.flotilla.client.admin.ClusterHealth;
import io.flotilla.client.admin.NodeInfo;
import io.flotilla.client.admin.RangeChange;
import io.flotilla.client.admin.RangeStatusInfo;
import io.flotilla.client.admin.SplitResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code flotilla admin ...}: operate the cluster through the admin API. */
@Command(name = "admin", description = "Operate the cluster: split, move, inspect, rebalance, decommission.", mixinStandardHelpOptions = true,
        subcommands = {AdminCommand.Split.class, AdminCommand.TransferLeader.class, AdminCommand.AddReplica.class,
                AdminCommand.RemoveReplica.class, AdminCommand.MoveReplica.class, AdminCommand.Ranges.class,
                AdminCommand.Nodes.class, AdminCommand.Health.class, PlacementCommands.RebalanceLeaders.class,
                PlacementCommands.RebalanceReplicas.class, PlacementCommands.Operators.class,
                PlacementCommands.Placement.class, PlacementCommands.PreferLeader.class,
                PlacementCommands.Decommission.class})
final class AdminCommand {

    abstract static class Base extends ClientCommand {
        @Override
        int run(FlotillaClient client, PrintStream out) {
            return run(client.admin(), out);
        }

        abstract int run(AdminClient admin, PrintStream out);

        int printChange(String what, RangeChange c, PrintStream out) {
            if (cluster.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("range", RangeViews.rangeJson(c.range()));
                m.put("leaderNodeId", c.leaderNodeId());
                out.println(Json.write(m));
            } else {
                out.println(what + ": range " + c.range().rangeId() + " " + c.range().span() + " replicas "
                        + RangeViews.replicas(c.range()) + ", leader " + (c.leaderNodeId() == 0 ? "none"
                        : "n" + c.leaderNodeId()) + ", conf version " + c.range().confVersion());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "split", description = "Split the range holding KEY at KEY.", mixinStandardHelpOptions = true)
    static final class Split extends Base {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Option(names = "--hex", description = "KEY is given in hex.")
        boolean hex;

        @Override
        int run(AdminClient admin, PrintStream out) {
            SplitResult r = admin.split(Bytes.parse(key, hex, "KEY"));
            if (cluster.json) {
                out.println(Json.write(Map.of("left", RangeViews.rangeJson(r.left()), "right",
                        RangeViews.rangeJson(r.right()))));
            } else {
                out.println("split: range " + r.left().rangeId() + " " + r.left().span() + " | range "
                        + r.right().rangeId() + " " + r.right().span());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "transfer-leader", description = "Make NODE lead RANGE.", mixinStandardHelpOptions = true)
    static final class TransferLeader extends Base {
        @Parameters(index = "0", paramLabel = "RANGE")
        long rangeId;
        @Parameters(index = "1", paramLabel = "NODE")
        long nodeId;

        @Override
        int run(AdminClient admin, PrintStream out) {
            return printChange("transferred", admin.transferLeader(rangeId, nodeId), out);
        }
    }

    @Command(name = "add-replica", description = "Add a replica of RANGE on NODE.", mixinStandardHelpOptions = true)
    static final class AddReplica extends Base {
        @Parameters(index = "0", paramLabel = "RANGE")
        long rangeId;
        @Parameters(index = "1", paramLabel = "NODE")
        long nodeId;
        @Option(names = "--learner", description = "Keep it a learner (not promoted to voter).")
        boolean learner;

        @Override
        int run(AdminClient admin, PrintStream out) {
            return printChange("added", admin.addReplica(rangeId, nodeId, learner), out);
        }
    }

    @Command(name = "remove-replica", description = "Remove RANGE's replica on NODE.", mixinStandardHelpOptions = true)
    static final class RemoveReplica extends Base {
        @Parameters(index = "0", paramLabel = "RANGE")
        long rangeId;
        @Parameters(index = "1", paramLabel = "NODE")
        long nodeId;

        @Override
        int run(AdminClient admin, PrintStream out) {
            return printChange("removed", admin.removeReplica(rangeId, nodeId), out);
        }
    }

    @Command(name = "move-replica", description = "Move RANGE's replica from node FROM to node TO.",
            mixinStandardHelpOptions = true)
    static final class MoveReplica extends Base {
        @Parameters(index = "0", paramLabel = "RANGE")
        long rangeId;
        @Parameters(index = "1", paramLabel = "FROM")
        long from;
        @Parameters(index = "2", paramLabel = "TO")
        long to;

        @Override
        int run(AdminClient admin, PrintStream out) {
            return printChange("moved", admin.moveReplica(rangeId, from, to), out);
        }
    }

    @Command(name = "ranges", description = "List ranges: bounds, epoch, replicas, leader, size, load.",
            mixinStandardHelpOptions = true)
    static final class Ranges extends Base {
        @Override
        int run(AdminClient admin, PrintStream out) {
            List<RangeStatusInfo> ranges = admin.listRanges();
            if (cluster.json) {
                out.println(Json.write(RangeViews.statusesJson(ranges)));
            } else {
                RangeViews.printRanges(ranges, out);
                out.println("(" + ranges.size() + " ranges)");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "nodes", description = "List nodes: liveness, range and leader counts.",
            mixinStandardHelpOptions = true)
    static final class Nodes extends Base {
        @Override
        int run(AdminClient admin, PrintStream out) {
            List<NodeInfo> nodes = admin.listNodes();
            if (cluster.json) {
                out.println(Json.write(RangeViews.nodesJson(nodes)));
            } else {
                RangeViews.printNodes(nodes, out);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "health", description = "Ranges without a leader, under-replicated ranges (exit code 1 if any).",
            mixinStandardHelpOptions = true)
    static final class Health extends Base {
        @Override
        int run(AdminClient admin, PrintStream out) {
            ClusterHealth h = admin.clusterHealth();
            if (cluster.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("healthy", h.healthy());
                m.put("ranges", h.ranges());
                m.put("nodesUp", h.nodesUp());
                m.put("nodesDown", h.nodesDown());
                m.put("withoutLeader", RangeViews.statusesJson(h.withoutLeader()));
                m.put("underReplicated", RangeViews.statusesJson(h.underReplicated()));
                out.println(Json.write(m));
            } else {
                out.println((h.healthy() ? "healthy" : "NOT healthy") + ": " + h.ranges() + " ranges, "
                        + h.nodesUp() + " nodes up, " + h.nodesDown() + " down, " + h.withoutLeader().size()
                        + " ranges without a leader, " + h.underReplicated().size() + " under-replicated");
                if (!h.withoutLeader().isEmpty()) {
                    out.println("without a leader:");
                    RangeViews.printRanges(h.withoutLeader(), out);
                }
                if (!h.underReplicated().isEmpty()) {
                    out.println("under-replicated:");
                    RangeViews.printRanges(h.underReplicated(), out);
                }
            }
            return h.healthy() ? ExitCodes.OK : ExitCodes.REFUSED;
        }
    }
}
