/**
 * What a load run issues: operations, their mix, YCSB's presets A-F, value sizes, and the
 * whole workload specification.
 */
package io.flotilla.bench.load.workload;
