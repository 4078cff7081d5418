package io.smsfeedback.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * OTP traffic for tests of conversion insight and the pumping alarm, in your tests or ours: honest
 * users across several countries (most type their code, some mistype it first, some ask for a new
 * one, some never come back) and, optionally, an SMS pumping burst: bots requesting OTPs to one
 * calling code and never typing one. Seeded: the same seed gives the same traffic, in the same
 * interleaved order.
 *
 * <p>It drives a {@link Target} you write over your app (HTTP requests, a tracker, a sender), so it
 * depends on nothing else:
 *
 * <pre>{@code
 * TrafficScenario.Result r = TrafficScenario.builder(42)
 *     .honest("65", 40).honest("44", 30)
 *     .pumping("7", 60)
 *     .build()
 *     .run(target);
 * }</pre>
 *
 * <p>Honest users: {@value #HONEST_VERIFY_PERCENT}% type the right code ({@value
 * #HONEST_TYPO_PERCENT}% of all users mistype it once first), {@value #HONEST_RESEND_PERCENT}% ask
 * for a new code and type that one, the rest ({@value #HONEST_ABANDON_PERCENT}%) never come back.
 * Numbers are E.164: {@code +}, the calling code, then digits to 11 or 12 in all.
 */
public final class TrafficScenario {

  /** Share of honest users who type the right code (first or after one typo), in percent. */
  public static final int HONEST_VERIFY_PERCENT = 80;

  /** Share of honest users who mistype the code once before the right one, in percent. */
  public static final int HONEST_TYPO_PERCENT = 10;

  /** Share of honest users who ask for a new code and type that one, in percent. */
  public static final int HONEST_RESEND_PERCENT = 8;

  /** Share of honest users who never come back, in percent. */
  public static final int HONEST_ABANDON_PERCENT =
      100 - HONEST_VERIFY_PERCENT - HONEST_RESEND_PERCENT;

  /** The app under test, as the scenario's users and bots see it. */
  public interface Target {

    /**
     * A user (or bot) asks for an OTP to {@code number}; returns a handle for that user's later
     * actions (a session, a umid), or null if the app refused to send (the scenario counts it).
     */
    Object send(String number) throws Exception;

    /** The user asks for a new code (the previous one is superseded); returns the new handle. */
    default Object resend(Object handle, String number) throws Exception {
      return Objects.requireNonNull(send(number), "resend refused");
    }

    /** The user types the right code. */
    void verify(Object handle) throws Exception;

    /** The user types a wrong code. */
    void wrongCode(Object handle) throws Exception;
  }

  /** What a run did, per calling code: requested sends, refused sends, verified users. */
  public record Result(
      Map<String, Integer> sends, Map<String, Integer> refused, Map<String, Integer> verified) {

    public Result {
      sends = Collections.unmodifiableMap(new LinkedHashMap<>(sends));
      refused = Collections.unmodifiableMap(new LinkedHashMap<>(refused));
      verified = Collections.unmodifiableMap(new LinkedHashMap<>(verified));
    }

    /** Sends requested to {@code callingCode} (refused ones included). */
    public int sends(String callingCode) {
      return sends.getOrDefault(callingCode, 0);
    }

    /** Sends the app refused to {@code callingCode}. */
    public int refused(String callingCode) {
      return refused.getOrDefault(callingCode, 0);
    }

    /** Users who typed the right code, to {@code callingCode}. */
    public int verified(String callingCode) {
      return verified.getOrDefault(callingCode, 0);
    }
  }

  private record Actor(String callingCode, boolean bot) {}

  private final long seed;
  private final List<Actor> actors;

  private TrafficScenario(long seed, List<Actor> actors) {
    this.seed = seed;
    this.actors = actors;
  }

  /** A scenario whose random choices follow {@code seed}. */
  public static Builder builder(long seed) {
    return new Builder(seed);
  }

  /** How many users and bots it runs. */
  public int size() {
    return actors.size();
  }

  /**
   * Runs every user and bot against {@code target}, one after the other in a seeded shuffled order,
   * on the calling thread. An exception from the target ends the run.
   */
  public Result run(Target target) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    List<Actor> order = new ArrayList<>(actors);
    for (int i = order.size() - 1; i > 0; i--) {
      Collections.swap(order, i, random.nextInt(i + 1));
    }
    Map<String, Integer> sends = new LinkedHashMap<>();
    Map<String, Integer> refused = new LinkedHashMap<>();
    Map<String, Integer> verified = new LinkedHashMap<>();
    for (Actor a : order) {
      String code = a.callingCode();
      String number = number(code, random);
      sends.merge(code, 1, Integer::sum);
      Object handle = target.send(number);
      if (handle == null) {
        refused.merge(code, 1, Integer::sum);
        continue;
      }
      if (a.bot()) {
        continue;
      }
      int roll = random.nextInt(100);
      if (roll < HONEST_VERIFY_PERCENT) {
        if (roll < HONEST_TYPO_PERCENT) {
          target.wrongCode(handle);
        }
        target.verify(handle);
        verified.merge(code, 1, Integer::sum);
      } else if (roll < HONEST_VERIFY_PERCENT + HONEST_RESEND_PERCENT) {
        sends.merge(code, 1, Integer::sum);
        Object again = target.resend(handle, number);
        target.verify(again);
        verified.merge(code, 1, Integer::sum);
      } // else: never comes back
    }
    return new Result(sends, refused, verified);
  }

  /** A random E.164 number with {@code callingCode}: 11 or 12 digits in all. */
  static String number(String callingCode, SplittableRandom random) {
    StringBuilder sb = new StringBuilder("+").append(callingCode);
    int digits = (callingCode.length() == 1 ? 11 : 12) - callingCode.length();
    sb.append((char) ('1' + random.nextInt(9)));
    for (int i = 1; i < digits; i++) {
      sb.append((char) ('0' + random.nextInt(10)));
    }
    return sb.toString();
  }

  /** Builds a {@link TrafficScenario}. */
  public static final class Builder {

    private final long seed;
    private final List<Actor> actors = new ArrayList<>();

    private Builder(long seed) {
      this.seed = seed;
    }

    /** {@code users} honest users to numbers with {@code callingCode} (digits, e.g. "65"). */
    public Builder honest(String callingCode, int users) {
      return add(callingCode, users, false);
    }

    /** {@code bots} OTP requests to {@code callingCode} that never type a code: the pumping. */
    public Builder pumping(String callingCode, int bots) {
      return add(callingCode, bots, true);
    }

    private Builder add(String callingCode, int n, boolean bot) {
      if (callingCode == null || !callingCode.matches("[1-9][0-9]{0,2}")) {
        throw new IllegalArgumentException(
            "callingCode must be 1 to 3 digits without '+': '" + callingCode + "'");
      }
      if (n < 0) {
        throw new IllegalArgumentException("count must not be negative: " + n);
      }
      for (int i = 0; i < n; i++) {
        actors.add(new Actor(callingCode, bot));
      }
      return this;
    }

    public TrafficScenario build() {
      return new TrafficScenario(seed, List.copyOf(actors));
    }
  }
}
