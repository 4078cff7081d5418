package io.smsfeedback.samples.servlet;

import io.smsfeedback.testkit.SmsApiSimulator;

/**
 * What the pages need.
 *
 * @param simulator the in-process 8x8 simulator, or null when talking to the real 8x8
 */
record SampleSettings(
    String user,
    String password,
    String phone,
    SmsApiSimulator simulator,
    String abandonNote) {}
