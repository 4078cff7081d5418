/**
 * JMH benchmarks of the request-thread paths: {@link io.smsfeedback.benchmarks.ReporterBenchmark},
 * {@link io.smsfeedback.benchmarks.TrackerBenchmark}, {@link
 * io.smsfeedback.benchmarks.FilterBenchmark}. See BENCHMARKS.md at the repository root.
 */
package io.smsfeedback.benchmarks;
