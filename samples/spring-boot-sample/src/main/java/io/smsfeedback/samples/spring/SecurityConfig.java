package io.smsfeedback.samples.spring;

import io.smsfeedback.spring.ott.SmsPhoneNumbers;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.OneTimeTokenService;
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
import org.springframework.security.web.authentication.ott.OneTimeTokenGenerationSuccessHandler;

/**
 * Password first, then a code by SMS: every page but login, the code page and the demo needs both
 * factors ({@code FACTOR_PASSWORD} from form login, {@code FACTOR_OTT} from one-time-token login).
 *
 * <p>The SMS codes are the starter's: the {@link SmsPhoneNumbers} bean below switches on its
 * {@link OneTimeTokenService} (short numeric codes, checked against the user they were sent to)
 * and its {@link OneTimeTokenGenerationSuccessHandler} (sends the code through 8x8 and tracks it),
 * which {@code oneTimeTokenLogin()} picks up.
 *
 * <ul>
 *   <li>{@code POST /login} checks the password; on success a code is sent at once and the browser
 *       goes to {@code /otp} ({@code sms.feedback.ott.code-page}).
 *   <li>{@code POST /login/ott} (field {@code token}) checks the code: {@code /} on success, {@code
 *       /otp?error} on a wrong code.
 *   <li>{@code POST /ott/generate} sends a new code, only to the user who passed the password step.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableMultiFactorAuthentication(
    authorities = {FactorGrantedAuthority.PASSWORD_AUTHORITY, FactorGrantedAuthority.OTT_AUTHORITY})
class SecurityConfig {

  @Bean
  SecurityFilterChain security(
      HttpSecurity http, OneTimeTokenService codes, OneTimeTokenGenerationSuccessHandler sendCode)
      throws Exception {
    http.authorizeHttpRequests(
            a ->
                // "/otp" shows the code form only after the password (Pages), with any query.
                a.requestMatchers("/otp", "/demo", "/error", "/actuator/health/**")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(
            f ->
                f.loginPage("/login")
                    .permitAll()
                    // The password is right: send the SMS code at once (Spring Security's types,
                    // the starter's beans).
                    .successHandler(
                        (request, response, auth) ->
                            sendCode.handle(request, response, codes.generate(codeFor(auth)))))
        .oneTimeTokenLogin(
            o ->
                o.loginPage("/otp")
                    .showDefaultSubmitPage(false)
                    .loginProcessingUrl("/login/ott") // else it follows loginPage
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
    return new GenerateOneTimeTokenRequest(auth.getName());
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

  /** The app's only sms-feedback code: where a user's sign-in codes go (null: no SMS). */
  @Bean
  SmsPhoneNumbers phoneNumbers(DemoUsers users) {
    return users::phoneOf;
  }
}
