package io.flotilla.placement.policy;

/**
 * Something a policy would have done but did not, and why, such as a split with no sampled
 * midpoint or a repair of a range that lost its quorum: what an operator needs to see.
 *
 * @param subjectId the range (or, for node-level skips, node) concerned
 */
public record Skip(String policy, long subjectId, String reason) {
}
