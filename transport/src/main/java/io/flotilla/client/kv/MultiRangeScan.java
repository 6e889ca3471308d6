package io.flotilla.client.kv;

import com.google.protobuf.ByteString;
import io.flotilla.client.error.FlotillaException;
import io.flotilla.client.error.KeyText;
import io.flotilla.client.retry.Deadline;
import io.flotilla.client.routing.RangeBounds;
import io.flotilla.transport.proto.KeyValue;
import io.flotilla.transport.proto.ReadConsistency;
import io.flotilla.transport.proto.ScanResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A scan of {@code [start, end)} that may cross ranges. The server answers one range per call, so
 * the scan asks for a page at a cursor, keeps what came back, and moves the cursor to the page's
 * {@code resume_key}, until it has {@code limit} pairs, the resume key is empty (the end was
 * reached) or it reaches {@code end}. All pages share one deadline, and every page must move the
 * cursor forward, so the loop ends.
 */
public final class MultiRangeScan {
    private final RequestRouter router;
    private final ByteString end;
    private final int limit;
    private final ReadConsistency consistency;
    private final Deadline deadline;
    private final List<KeyValue> found = new ArrayList<>();
    private final CompletableFuture<List<KeyValue>> outcome = new CompletableFuture<>();

    private MultiRangeScan(RequestRouter router, ByteString end, int limit, ReadConsistency consistency) {
        this.router = router;
        this.end = end;
        this.limit = limit;
        this.consistency = consistency;
        this.deadline = router.newDeadline();
    }

    /** @param end empty for "to the end of the key space" */
    public static CompletableFuture<List<KeyValue>> run(RequestRouter router, ByteString start, ByteString end,
            int limit, ReadConsistency consistency) {
        MultiRangeScan scan = new MultiRangeScan(router, end, limit, consistency);
        scan.page(start);
        return scan.outcome;
    }

    private void page(ByteString cursor) {
        int wanted = limit - found.size();
        router.run(KvCalls.scanPage(cursor, end, wanted, consistency), deadline).whenComplete((response, failure) -> {
            if (failure != null) {
                outcome.completeExceptionally(failure);
                return;
            }
            onPage(cursor, response);
        });
    }

    private void onPage(ByteString cursor, ScanResponse response) {
        List<KeyValue> kvs = response.getKvsList();
        found.addAll(kvs.subList(0, Math.min(kvs.size(), limit - found.size())));
        ByteString resume = response.getResumeKey();
        boolean pastEnd = !end.isEmpty() && RangeBounds.KEY_ORDER.compare(resume, end) >= 0;
        if (found.size() >= limit || resume.isEmpty() || pastEnd) {
            outcome.complete(List.copyOf(found));
            return;
        }
        if (RangeBounds.KEY_ORDER.compare(resume, cursor) <= 0) {
            outcome.completeExceptionally(new FlotillaException.RpcFailed("a scan page at " + KeyText.of(cursor)
                    + " returned resume key " + KeyText.of(resume) + ", which does not move forward", null));
            return;
        }
        page(resume);
    }
}
