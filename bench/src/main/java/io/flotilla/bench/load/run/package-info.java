/**
 * Running a load: the load phase that writes the records, the measured run phase (closed or
 * open loop), the per-thread operation issuer, and the driver that samples every interval.
 */
package io.flotilla.bench.load.run;
