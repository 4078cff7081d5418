package io.smsfeedback.samples.spring;

import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.config.annotation.authorization.EnableMultiFactorAuthentication;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Password first, then a code by SMS: every page but login, the code page and the demo needs both
 * factors ({@code FACTOR_PASSWORD} from form login, {@code FACTOR_OTT} from one-time-token login).
 *
 * <ul>
 *   <li>{@code POST /login} checks the password; on success a code is sent at once and the browser
 *       goes to {@code /otp}.
 *   <li>{@code POST /login/ott} (field {@code token}) checks the code: {@code /} on success, {@code
 *       /otp?error} on a wrong code.
 *   <li>{@code POST /ott/generate} sends a new code (for the user who passed the password step).
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableMultiFactorAuthentication(
    authorities = {FactorGrantedAuthority.PASSWORD_AUTHORITY, FactorGrantedAuthority.OTT_AUTHORITY})
class SecurityConfig {

  static final String RESEND_URL = "/ott/generate";
  static final String VERIFY_URL = "/login/ott";

  @Bean
  SecurityFilterChain security(HttpSecurity http, SmsCodes codes, SmsCodeSender sender)
      throws Exception {
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/demo", "/error", "/actuator/health/**")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(
            f ->
                f.loginPage("/login")
                    .permitAll()
                    .successHandler(
                        (request, response, auth) ->
                            sender.handle(request, response, codes.generate(codeFor(auth)))))
        .oneTimeTokenLogin(
            o ->
                o.loginPage("/otp")
                    .showDefaultSubmitPage(false)
                    .tokenGeneratingUrl(RESEND_URL)
                    .loginProcessingUrl(VERIFY_URL)
                    .tokenService(codes)
                    .tokenGenerationSuccessHandler(sender)
                    .generateRequestResolver(request -> passwordUserRequest())
                    .permitAll())
        .logout(l -> l.logoutSuccessUrl("/login?logout"));
    return http.build();
  }

  /** A new code only for the user who passed the password step, never for a name in the form. */
  private static GenerateOneTimeTokenRequest passwordUserRequest() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    return auth != null && Pages.hasFactor(auth, FactorGrantedAuthority.PASSWORD_AUTHORITY)
        ? codeFor(auth)
        : null;
  }

  private static GenerateOneTimeTokenRequest codeFor(Authentication auth) {
    return new GenerateOneTimeTokenRequest(auth.getName(), SmsCodes.LIFETIME);
  }

  @Bean
  UserDetailsService users() {
    // {noop}: a plain-text password, for the demo only.
    return new InMemoryUserDetailsManager(
        User.withUsername(DemoUsers.USERNAME)
            .password("{noop}" + DemoUsers.PASSWORD)
            .roles("USER")
            .build());
  }

  @Bean
  DemoUsers demoUsers(@Value("${sample.phone}") String phone) {
    return new DemoUsers(phone);
  }

  @Bean
  SmsCodes smsCodes() {
    return new SmsCodes(Clock.systemUTC());
  }

  /** Sends the code with the starter's SmsSender bean (8x8's SMS API, the starter's settings). */
  @Bean
  SmsCodeSender smsCodeSender(
      DemoUsers users, @Value("${sample.sms-source:SMSFeedback}") String source) {
    return new SmsCodeSender(users, source);
  }
}
