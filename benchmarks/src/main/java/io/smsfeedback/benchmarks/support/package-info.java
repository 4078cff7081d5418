/** Fakes shared by the JMH benchmarks, the load harness and their smoke tests. */
@NullMarked
package io.smsfeedback.benchmarks.support;

import org.jspecify.annotations.NullMarked;
