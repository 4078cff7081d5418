/**
 * The Jakarta Servlet adapter: {@link io.smsfeedback.servlet.SmsFeedbackFilter} watches the umid in
 * the HTTP session and turns sends and verifications into conversion tracker signals; {@link
 * io.smsfeedback.servlet.SmsFeedback} holds the helpers an app (or a framework bridge) calls.
 */
@NullMarked
package io.smsfeedback.servlet;

import org.jspecify.annotations.NullMarked;
