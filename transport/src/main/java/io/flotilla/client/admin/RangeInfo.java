package io.flotilla.client.admin;

import io.flotilla.client.error.KeyText;
import io.flotilla.transport.proto.RangeDescriptor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A range descriptor: keys {@code [startKey, endKey)} (an empty end key means the end of the key
 * space), its replicas, and its epoch ({@code version} rises with splits, {@code confVersion} with
 * membership changes). Equality compares key contents.
 */
public record RangeInfo(long rangeId, byte[] startKey, byte[] endKey, List<ReplicaInfo> replicas, long version,
        long confVersion) {
    public RangeInfo {
        replicas = List.copyOf(replicas);
    }

    public static RangeInfo from(RangeDescriptor range) {
        return new RangeInfo(range.getRangeId(), range.getStartKey().toByteArray(), range.getEndKey().toByteArray(),
                range.getReplicasList().stream().map(ReplicaInfo::from).toList(), range.getVersion(),
                range.getConfVersion());
    }

    /** The span for people: {@code ["a", "m")}, with hex for binary keys and "end" for the open end. */
    public String span() {
        return "[" + KeyText.of(startKey) + ", " + (endKey.length == 0 ? "end" : KeyText.of(endKey)) + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RangeInfo r && rangeId == r.rangeId && version == r.version
                && confVersion == r.confVersion && Arrays.equals(startKey, r.startKey)
                && Arrays.equals(endKey, r.endKey) && replicas.equals(r.replicas);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rangeId, version, confVersion, Arrays.hashCode(startKey), Arrays.hashCode(endKey),
                replicas);
    }

    @Override
    public String toString() {
        return "RangeInfo[" + rangeId + " " + span() + " v" + version + "/c" + confVersion
                + " replicas=" + replicas + "]";
    }
}
