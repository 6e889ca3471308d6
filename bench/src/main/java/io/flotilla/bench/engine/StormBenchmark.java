package io.flotilla.bench.engine;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The election storm: N nodes in this process (direct in-memory transport, in-memory logs), G
 * groups of 3 replicas with leaders spread evenly; the node leading the most groups dies, and
 * survivors are polled every 10 ms until each of its groups has a leader again.
 *
 * <pre>
 * java -cp ... io.flotilla.bench.engine.StormBenchmark --nodes=3 --groups=30000 [--quiesce-first=false]
 *     [--pre-vote=true] [--coalesce=true] [--stagger=5] [--tick-ms=100] [--election-tick=10]
 *     [--liveness-ticks=7] [--workers=N] [--recovery-seconds=30] [--settle-seconds=2] [--out=FILE]
 * java -cp ... io.flotilla.bench.engine.StormBenchmark --compare [--groups=10000]
 * </pre>
 *
 * {@code --compare} runs the matrix {pre-vote on/off} x {coalesce on/off} x {stagger 5/0 ticks}
 * and writes every row to one file. Target: 30k groups, 1 s election timeout: every affected
 * group led again within 3 s of the kill, p50 at most 2 s, no healthy group disturbed.
 */
public final class StormBenchmark {
    static final Set<String> FLAGS = Set.of("nodes", "groups", "replicas", "quiesce-first", "pre-vote", "coalesce",
            "stagger", "tick-ms", "election-tick", "liveness-ticks", "workers", "recovery-seconds", "settle-seconds",
            "setup-seconds", "compare", "out");
    static final String USAGE = "usage: StormBenchmark [--nodes=3] [--groups=10000] [--replicas=3] [--quiesce-first=false] [--pre-vote=true]\n"
            + "    [--coalesce=true] [--stagger=5] [--tick-ms=100] [--election-tick=10] [--liveness-ticks=7] [--workers=N]\n"
            + "    [--recovery-seconds=30] [--settle-seconds=2] [--setup-seconds=900] [--compare] [--out=bench/results/storm.json]";

    private StormBenchmark() {
    }

    public static void main(String[] argv) {
        BenchArgs args = BenchArgs.parseOrExit(argv, FLAGS, USAGE);
        String name = args.bool("compare", false) ? "storm-compare" : "storm";
        Map<String, Object> result = run(args, System.out);
        ResultFile.write(ResultFile.path(args, name), result);
        System.out.println("wrote " + ResultFile.path(args, name));
    }

    /** Runs one trial, or the matrix with {@code --compare}; prints the table and returns the document. */
    public static Map<String, Object> run(BenchArgs args, PrintStream out) {
        boolean compare = args.bool("compare", false);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", compare ? "storm-compare" : "storm");
        result.put("description", "election storm: kill the node leading the most groups, time until a survivor "
                + "leads each of its groups (polled every 10 ms); times in ms from the kill");
        result.put("flags", args.asMap());
        result.put("hostAtStart", ResultFile.host());
        List<Map<String, Object>> rows = new ArrayList<>();
        if (compare) {
            for (boolean preVote : new boolean[]{true, false}) {
                for (boolean coalesce : new boolean[]{true, false}) {
                    for (int stagger : new int[]{5, 0}) {
                        StormTrial.Params p = params(args, 10_000, preVote, coalesce, stagger);
                        out.printf("trial: pre-vote %s, coalesce %s, stagger %d ...%n", preVote, coalesce, stagger);
                        rows.add(StormTrial.run(p));
                        HeapCensus.usedAfterGc(); // the last cluster's garbage must not bill the next trial
                    }
                }
            }
        } else {
            rows.add(StormTrial.run(params(args, 10_000, args.bool("pre-vote", true), args.bool("coalesce", true),
                    args.integer("stagger", 5))));
        }
        result.put("trials", rows);
        result.put("hostAtEnd", ResultFile.host());
        print(out, rows);
        return result;
    }

    private static StormTrial.Params params(BenchArgs a, int defaultGroups, boolean preVote, boolean coalesce,
                                            int stagger) {
        int nodes = a.integer("nodes", 3);
        int groups = a.integer("groups", defaultGroups);
        int replicas = a.integer("replicas", 3);
        long recovery = a.longValue("recovery-seconds", 30);
        if (nodes < 3 || groups < 1 || recovery < 1 || recovery > 600) {
            throw new IllegalArgumentException("--nodes must be at least 3, --groups positive, --recovery-seconds in 1..600");
        }
        return new StormTrial.Params(nodes, groups, replicas, a.bool("quiesce-first", false), preVote, coalesce, stagger,
                a.longValue("tick-ms", 100), a.integer("election-tick", 10), a.integer("liveness-ticks", io.flotilla.engine.EngineConfig.defaults(1).livenessTimeoutTicks()),
                a.integer("workers", Runtime.getRuntime().availableProcessors()), recovery * 1000,
                a.longValue("settle-seconds", 2) * 1000, a.longValue("setup-seconds", 900) * 1000);
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintStream out, List<Map<String, Object>> rows) {
        Map<String, Object> first = (Map<String, Object>) rows.get(0).get("params");
        out.printf("storm: %s nodes, %s groups x %s replicas, election timeout %s ms (tick %s ms), liveness %s ticks,"
                        + " quiesce first %s%n", first.get("nodes"), first.get("groups"), first.get("replicasPerGroup"),
                first.get("electionTimeoutMillis"), first.get("tickMillis"), first.get("livenessTimeoutTicks"),
                first.get("quiesceFirst"));
        TextTable t = new TextTable("pre-vote/coalesce/stagger", "affected", "recovered", "p50 ms", "p99 ms", "max ms",
                "poll gap ms", "elections", "term incr", "envelopes", "messages", "MB", "disturbed", "targets", "load");
        for (Map<String, Object> r : rows) {
            Map<String, Object> p = (Map<String, Object>) r.get("params");
            Map<String, Object> rec = (Map<String, Object>) r.get("recovery");
            Map<String, Object> el = (Map<String, Object>) r.get("elections");
            Map<String, Object> tr = (Map<String, Object>) r.get("recoveryTraffic");
            Map<String, Object> h = (Map<String, Object>) r.get("healthy");
            Map<String, Object> tg = (Map<String, Object>) r.get("targets");
            boolean met = tg.values().stream().allMatch(Boolean.TRUE::equals);
            t.row(p.get("preVote") + "/" + p.get("coalesce") + "/" + p.get("campaignStaggerTicks"),
                    rec.get("affectedGroups"), rec.get("recoveredGroups"), rec.get("p50Millis"), rec.get("p99Millis"),
                    rec.get("maxMillis"), rec.get("maxPollGapMillis"), el.get("electionsStartedDuringRecovery"), el.get("termIncrementsAffected"),
                    tr.get("envelopes"), tr.get("raftMessages"), ((Number) tr.get("approxBytes")).longValue() / 1e6,
                    h.get("disturbedGroups") + "/" + h.get("healthyGroups"), met ? "met" : "NOT met",
                    r.get("loadAtStart"));
        }
        t.print(out);
        out.println("elections = started by survivors until every affected group was led (needed: affected);"
                + " term incr = sum over affected groups of the term rise; envelopes/messages/MB = survivors' traffic"
                + " from the kill to full recovery; disturbed = healthy groups whose leader lost its role or term;"
                + " poll gap = the longest the poller went without looking (recoveries are seen up to that late);"
                + " targets: all led <= 3000 ms, p50 <= 2000 ms, none disturbed");
    }
}
