/**
 * The YCSB binding ({@code site.ycsb:core}): {@link io.flotilla.bench.ycsb.FlotillaYcsbDb} maps
 * YCSB tables, keys and field maps onto Flotilla keys and values.
 */
package io.flotilla.bench.ycsb;
