package io.flotilla.bench.engine;

import io.flotilla.bench.core.MiniJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads a tool's result file back and walks it by path, failing clearly when a field is missing. */
public final class ResultJson {
    private final Map<String, Object> root;

    private ResultJson(Map<String, Object> root) {
        this.root = root;
    }

    /** Parses the file; it must be one well-formed JSON object. */
    public static ResultJson read(Path file) throws IOException {
        assertThat(file).as("result file").exists();
        Object v = MiniJson.parse(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(v).as("result document").isInstanceOf(Map.class);
        return new ResultJson(cast(v));
    }

    public static ResultJson of(Map<String, Object> tree) {
        return new ResultJson(tree);
    }

    public Map<String, Object> root() {
        return root;
    }

    /** The value at a dotted path ("load.latencyMillis.p99"); fails if any step is missing. */
    public Object at(String path) {
        Object v = root;
        for (String step : path.split("\\.")) {
            assertThat(v).as("parent of " + step + " in " + path).isInstanceOf(Map.class);
            Map<String, Object> m = cast(v);
            assertThat(m).as("field " + path).containsKey(step);
            v = m.get(step);
        }
        return v;
    }

    /** A number at {@code path}: present, not null, finite. */
    public double num(String path) {
        Object v = at(path);
        assertThat(v).as(path).isInstanceOf(Double.class);
        double d = (Double) v;
        assertThat(Double.isFinite(d)).as(path + " finite").isTrue();
        return d;
    }

    public boolean bool(String path) {
        Object v = at(path);
        assertThat(v).as(path).isInstanceOf(Boolean.class);
        return (Boolean) v;
    }

    public Map<String, Object> obj(String path) {
        Object v = at(path);
        assertThat(v).as(path).isInstanceOf(Map.class);
        return cast(v);
    }

    public List<Object> list(String path) {
        Object v = at(path);
        assertThat(v).as(path).isInstanceOf(List.class);
        return cast(v);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
