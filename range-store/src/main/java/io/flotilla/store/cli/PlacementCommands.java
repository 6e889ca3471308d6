package io.flotilla.store.cli;

import io.flotilla.client.admin.AdminClient;
import io.flotilla.client.admin.OperatorListing;
import io.flotilla.client.admin.OperatorView;
import io.flotilla.client.admin.PlannedMove;
import io.flotilla.client.admin.RebalancePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code flotilla admin} commands that talk to the placement driver: rebalance, operators, pause, decommission. */
final class PlacementCommands {
    private PlacementCommands() {
    }

    @Command(name = "rebalance-leaders", mixinStandardHelpOptions = true,
            description = "Even out leaderships across nodes now, even while placement is paused; --dry-run prints"
                    + " the plan only.")
    static final class RebalanceLeaders extends AdminCommand.Base {
        @Option(names = "--dry-run", description = "Print which range's leader would move from which node to which; change nothing.")
        boolean dryRun;

        @Override
        int run(AdminClient admin, PrintStream out) {
            return printPlan("leader", admin.rebalanceLeaders(dryRun), dryRun, cluster.json, out);
        }
    }

    @Command(name = "rebalance-replicas", mixinStandardHelpOptions = true,
            description = "Even out replica counts across nodes, within the operator limits (refused while placement"
                    + " is paused); --dry-run prints the plan only.")
    static final class RebalanceReplicas extends AdminCommand.Base {
        @Option(names = "--dry-run", description = "Print which range's replica would move from which node to which; change nothing.")
        boolean dryRun;

        @Override
        int run(AdminClient admin, PrintStream out) {
            return printPlan("replica", admin.rebalanceReplicas(dryRun), dryRun, cluster.json, out);
        }
    }

    static int printPlan(String what, RebalancePlan plan, boolean dryRun, boolean json, PrintStream out) {
        if (json) {
            List<Object> moves = new ArrayList<>();
            for (PlannedMove m : plan.moves()) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("rangeId", m.rangeId());
                j.put("fromNodeId", m.fromNodeId());
                j.put("toNodeId", m.toNodeId());
                j.put("description", m.description());
                moves.add(j);
            }
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("dryRun", dryRun);
            j.put("moves", moves);
            j.put("started", plan.started());
            j.put("driverNodeId", plan.driverNodeId());
            out.println(Json.write(j));
            return ExitCodes.OK;
        }
        if (plan.moves().isEmpty()) {
            out.println(what + "s are balanced: nothing to move");
            return ExitCodes.OK;
        }
        Table t = new Table("RANGE", "FROM", "TO");
        for (PlannedMove m : plan.moves()) {
            t.row(m.rangeId(), "n" + m.fromNodeId(), "n" + m.toNodeId());
        }
        t.print(out);
        out.println(plan.moves().size() + " " + what + (plan.moves().size() == 1 ? " move" : " moves")
                + (dryRun ? " (dry run: nothing changed)"
                : ", " + plan.started() + " started now; the rest start as the operator limits allow"));
        return ExitCodes.OK;
    }

    @Command(name = "operators", mixinStandardHelpOptions = true,
            description = "List placement operators (running, then recently finished); --cancel ID stops one.")
    static final class Operators extends AdminCommand.Base {
        @Option(names = "--cancel", paramLabel = "ID", description = "Cancel the running operator ID.")
        Long cancel;

        @Override
        int run(AdminClient admin, PrintStream out) {
            if (cancel != null) {
                String outcome = admin.cancelOperator(cancel);
                out.println(cluster.json ? Json.write(Map.of("operatorId", cancel, "outcome", outcome))
                        : "operator " + cancel + ": " + outcome.replace('_', ' '));
                return ExitCodes.OK;
            }
            OperatorListing listing = admin.operators();
            if (cluster.json) {
                List<Object> ops = new ArrayList<>();
                for (OperatorView o : listing.operators()) {
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("id", o.operatorId());
                    j.put("rangeId", o.rangeId());
                    j.put("kind", o.kind());
                    j.put("state", o.state());
                    j.put("step", o.currentStep());
                    j.put("steps", o.steps());
                    j.put("attempt", o.attempt());
                    j.put("description", o.description());
                    j.put("lastError", o.lastError());
                    ops.add(j);
                }
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("paused", listing.paused());
                j.put("driverNodeId", listing.driverNodeId());
                j.put("operators", ops);
                out.println(Json.write(j));
                return ExitCodes.OK;
            }
            out.println("placement driver on n" + listing.driverNodeId() + (listing.paused() ? ", PAUSED" : ", running"));
            Table t = new Table("ID", "RANGE", "KIND", "STATE", "STEP", "TRIES", "WHAT", "LAST ERROR");
            for (OperatorView o : listing.operators()) {
                t.row(o.operatorId(), o.rangeId(), o.kind(), o.state(), o.currentStep() + "/" + o.steps(), o.attempt(),
                        o.description(), o.lastError().isEmpty() ? "-" : o.lastError());
            }
            t.print(out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "placement", mixinStandardHelpOptions = true,
            description = "pause: no new scheduled operator starts and running ones stop after their current step;"
                    + " resume: carry on. Manual admin changes are not affected.")
    static final class Placement extends AdminCommand.Base {
        @Parameters(index = "0", paramLabel = "pause|resume")
        String action;

        @Override
        int run(AdminClient admin, PrintStream out) {
            boolean pause = switch (action) {
                case "pause" -> true;
                case "resume" -> false;
                default -> throw new IllegalArgumentException("say pause or resume, not '" + action + "'");
            };
            List<Long> recorded = admin.setPlacementPaused(pause);
            if (cluster.json) {
                out.println(Json.write(Map.of("paused", pause, "recordedOn", recorded)));
            } else {
                out.println("placement " + (pause ? "paused" : "resumed") + " (recorded on nodes " + recorded + ")");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "prefer-leader", mixinStandardHelpOptions = true,
            description = "Prefer where a range's leader (--range) or every range's leader (default) runs: on a node,"
                    + " or on any node with a label; --clear removes the preference. Placement moves leaders there.")
    static final class PreferLeader extends AdminCommand.Base {
        @Option(names = "--range", paramLabel = "RANGE", description = "This range only (default: every range"
                + " without a preference of its own).")
        long rangeId;
        @Option(names = "--node", paramLabel = "NODE")
        Long nodeId;
        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Any node started with --labels KEY=VALUE.")
        String label;
        @Option(names = "--clear")
        boolean clear;

        @Override
        int run(AdminClient admin, PrintStream out) {
            int given = (nodeId != null ? 1 : 0) + (label != null ? 1 : 0) + (clear ? 1 : 0);
            if (given != 1) {
                throw new IllegalArgumentException("give exactly one of --node, --label and --clear");
            }
            List<Long> recorded = nodeId != null ? admin.preferLeaderOnNode(rangeId, nodeId)
                    : label != null ? admin.preferLeaderOnLabel(rangeId, label) : admin.clearLeaderPreference(rangeId);
            String what = rangeId == 0 ? "every range" : "range " + rangeId;
            String where = nodeId != null ? "node " + nodeId : label != null ? "label " + label : "none";
            if (cluster.json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("rangeId", rangeId);
                j.put("preference", where);
                j.put("recordedOn", recorded);
                out.println(Json.write(j));
            } else {
                out.println("preferred leader for " + what + ": " + where + " (recorded on nodes " + recorded + ")");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "decommission", mixinStandardHelpOptions = true,
            description = "Move every replica off NODE, then mark it removed. Refused if the nodes left could not"
                    + " hold every range's replicas.")
    static final class Decommission extends AdminCommand.Base {
        @Parameters(index = "0", paramLabel = "NODE")
        long nodeId;

        @Override
        int run(AdminClient admin, PrintStream out) {
            int replicas = admin.decommission(nodeId);
            if (cluster.json) {
                out.println(Json.write(Map.of("nodeId", nodeId, "replicasToMove", replicas)));
            } else {
                out.println("node " + nodeId + " is decommissioning: " + replicas + " replicas to move away;"
                        + " watch with `admin nodes` and `admin operators`");
            }
            return ExitCodes.OK;
        }
    }
}
