/**
 * Spring Boot auto-configuration for sms-feedback: {@link
 * io.smsfeedback.spring.SmsFeedbackProperties}, {@link
 * io.smsfeedback.spring.SmsFeedbackAutoConfiguration} and the Spring Security handler decorators.
 */
@NullMarked
package io.smsfeedback.spring;

import org.jspecify.annotations.NullMarked;
