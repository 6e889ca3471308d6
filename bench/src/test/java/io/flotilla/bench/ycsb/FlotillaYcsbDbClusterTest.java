package io.flotilla.bench.ycsb;

import io.flotilla.store.launch.ProcessCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import site.ycsb.ByteIterator;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;
import site.ycsb.measurements.Measurements;
import site.ycsb.workloads.CoreWorkload;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The YCSB binding against three real node processes on 127.0.0.1: every DB call by hand
 * (insert, read, update, scan, delete), then YCSB's own CoreWorkload driving the binding with the
 * workload files of bench/ycsb (A, E, F), every status counted.
 */
class FlotillaYcsbDbClusterTest {
    @TempDir
    static Path dir;
    static ProcessCluster cluster;

    @BeforeAll
    static void startCluster() {
        System.setProperty("flotilla.node.classpath",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cluster = ProcessCluster.start(dir, 3, 0, List.of(), "256m", Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Properties props() {
        Properties p = new Properties();
        p.setProperty(FlotillaYcsbDb.CLUSTER, String.join(",", cluster.seeds()));
        p.setProperty(FlotillaYcsbDb.TIMEOUT, "20000");
        return p;
    }

    private static Map<String, ByteIterator> fields(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return StringByteIterator.getByteIteratorMap(m);
    }

    private static Map<String, String> strings(Map<String, ByteIterator> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }

    @Test
    @DisplayName("insert, read (all and some fields), update merges fields, scan stays in its table, delete")
    void everyCallByHand() throws DBException {
        FlotillaYcsbDb db = new FlotillaYcsbDb();
        db.setProperties(props());
        db.init();
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(db.insert("t1", "user" + i, fields("field0", "a" + i, "field1", "b" + i))).isEqualTo(Status.OK);
            }
            assertThat(db.insert("t2", "user0", fields("field0", "other table"))).isEqualTo(Status.OK);

            Map<String, ByteIterator> read = new HashMap<>();
            assertThat(db.read("t1", "user3", null, read)).isEqualTo(Status.OK);
            assertThat(strings(read)).containsExactlyEntriesOf(new TreeMap<>(Map.of("field0", "a3", "field1", "b3")));
            read.clear();
            assertThat(db.read("t1", "user3", Set.of("field1"), read)).isEqualTo(Status.OK);
            assertThat(strings(read)).containsOnlyKeys("field1");

            assertThat(db.update("t1", "user3", fields("field1", "B3", "field2", "c3"))).isEqualTo(Status.OK);
            read.clear();
            db.read("t1", "user3", null, read);
            assertThat(strings(read)).as("the update kept field0 and changed or added the others")
                    .containsExactlyEntriesOf(new TreeMap<>(Map.of("field0", "a3", "field1", "B3", "field2", "c3")));

            Vector<HashMap<String, ByteIterator>> rows = new Vector<>();
            assertThat(db.scan("t1", "user1", 10, null, rows)).isEqualTo(Status.OK);
            assertThat(rows).as("user1..user4 of t1, not t2's record").hasSize(4);
            assertThat(rows.get(0).get("field0").toString()).isEqualTo("a1");
            rows.clear();
            assertThat(db.scan("t1", "user0", 2, Set.of("field0"), rows)).isEqualTo(Status.OK);
            assertThat(rows).hasSize(2);
            assertThat(rows.get(1).keySet()).containsExactly("field0");

            assertThat(db.delete("t1", "user3")).isEqualTo(Status.OK);
            assertThat(db.read("t1", "user3", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
            assertThat(db.read("t2", "user0", null, new HashMap<>())).isEqualTo(Status.OK);
        } finally {
            db.cleanup();
        }
    }

    @Test
    @DisplayName("YCSB's CoreWorkload runs workloads A, E and F through the binding with every operation OK")
    void coreWorkloadsRun() throws Exception {
        for (String w : List.of("a", "e", "f")) {
            Properties p = props();
            try (Reader r = Files.newBufferedReader(Path.of("ycsb/workload" + w))) {
                p.load(r);
            }
            p.setProperty("table", "ycsb" + w);
            p.setProperty("recordcount", "50");
            p.setProperty("operationcount", "150");
            p.setProperty("fieldlength", "20");
            p.setProperty("maxscanlength", "10");
            Measurements.setProperties(p);
            CoreWorkload workload = new CoreWorkload();
            workload.init(p);
            CountingDb db = new CountingDb();
            db.setProperties(p);
            db.init();
            try {
                Object state = workload.initThread(p, 0, 1);
                for (int i = 0; i < 50; i++) {
                    assertThat(workload.doInsert(db, state)).as("insert " + i).isTrue();
                }
                for (int i = 0; i < 150; i++) {
                    workload.doTransaction(db, state);
                }
            } finally {
                db.cleanup();
                workload.cleanup();
            }
            assertThat(db.notOk).as("workload " + w + ": statuses other than OK").isEmpty();
            switch (w) {
                case "a" -> assertThat(db.calls).containsKeys("read", "update");
                case "e" -> assertThat(db.calls).containsKeys("scan", "insert");
                default -> assertThat(db.calls.get("update")).as("read-modify-writes").isPositive();
            }
        }
    }

    /** The binding with every call's status counted, so the test sees what YCSB would report. */
    static final class CountingDb extends FlotillaYcsbDb {
        final Map<String, Long> calls = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> notOk = new ConcurrentHashMap<>();

        private Status count(String op, Status s) {
            calls.merge(op, 1L, Long::sum);
            if (!s.isOk()) {
                notOk.computeIfAbsent(op + ":" + s.getName(), k -> new AtomicLong()).incrementAndGet();
            }
            return s;
        }

        @Override
        public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
            return count("read", super.read(table, key, fields, result));
        }

        @Override
        public Status scan(String table, String startkey, int recordcount, Set<String> fields,
                           Vector<HashMap<String, ByteIterator>> result) {
            return count("scan", super.scan(table, startkey, recordcount, fields, result));
        }

        @Override
        public Status update(String table, String key, Map<String, ByteIterator> values) {
            return count("update", super.update(table, key, values));
        }

        @Override
        public Status insert(String table, String key, Map<String, ByteIterator> values) {
            return count("insert", super.insert(table, key, values));
        }
    }
}
