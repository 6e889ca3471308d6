/** The cluster a load runs against: given by address, or node processes started on loopback. */
package io.flotilla.bench.load.cluster;
