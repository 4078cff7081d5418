/** Sample support: not part of sms-feedback; what the two sample apps share. */
package io.smsfeedback.samples.support;
