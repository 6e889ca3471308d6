/**
 * Many Raft groups in one process: one clock, a fixed pool of workers, one storage write and
 * one sync per cycle for every group that has work, one envelope per destination node, and
 * quiescence so that idle groups cost nothing. The Raft core ({@code io.flotilla.raft}) stays
 * pure; storage, network and state machines are reached only through interfaces here.
 */
package io.flotilla.engine;
