/** Conversion statistics' windows and buckets; not an API, may change in any release. */
@NullMarked
package io.smsfeedback.internal.insight;

import org.jspecify.annotations.NullMarked;
