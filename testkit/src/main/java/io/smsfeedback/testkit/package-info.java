/**
 * An 8x8 SMS API simulator for tests and demos: {@link io.smsfeedback.testkit.SmsApiSimulator}
 * serves the Success Feedback and send-SMS endpoints on a loopback port, with scriptable {@link
 * io.smsfeedback.testkit.Fault}s, a record of every request and assertions; {@link
 * io.smsfeedback.testkit.SimulatorExtension} gives JUnit tests a fresh one; {@link
 * io.smsfeedback.testkit.SimulatorMain} runs it standalone. Depends on the JDK only (JUnit's API
 * for the extension alone). Components documented as nullable may be null; nothing else is.
 */
package io.smsfeedback.testkit;
