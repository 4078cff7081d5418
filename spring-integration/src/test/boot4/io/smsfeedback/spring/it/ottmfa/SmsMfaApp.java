package io.smsfeedback.spring.it.ottmfa;

import io.smsfeedback.spring.it.ott.SmsLoginApp;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.config.annotation.authorization.EnableMultiFactorAuthentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * {@link SmsLoginApp} with Spring Security 7 multi-factor sign-in switched on: a password, then a
 * code by SMS. Still no sms-feedback code but the phone-number bean.
 */
@SpringBootApplication
@EnableMultiFactorAuthentication(
    authorities = {FactorGrantedAuthority.PASSWORD_AUTHORITY, FactorGrantedAuthority.OTT_AUTHORITY})
public class SmsMfaApp extends SmsLoginApp {}
