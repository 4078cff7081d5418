/** The conversion tracker and its in-memory store; not an API, may change in any release. */
@NullMarked
package io.smsfeedback.internal.tracker;

import org.jspecify.annotations.NullMarked;
