/** Implementation details of the Spring Boot starter; not an API, may change in any release. */
@NullMarked
package io.smsfeedback.spring.internal;

import org.jspecify.annotations.NullMarked;
