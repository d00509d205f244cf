package org.vigil.fhir.subscription;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;

/**
 * A Subscription's criteria, the search it stands for: {@code Observation} by {@code patient} (or
 * {@code subject}), {@code code} and {@code category}; {@code Flag} (Vigil's alarms) by {@code
 * patient} (or {@code subject}) and {@code status}. Values separated by commas match any of them; a
 * token is {@code system|code}, {@code |code} (no system) or {@code code} (any system). Anything
 * else is refused when the subscription is made, rather than silently never matching.
 *
 * @param resourceType {@code Observation} or {@code Flag}
 * @param patients the patients named, empty for all (the owner may see)
 * @param codes Observation codes, any of which matches; empty for all
 * @param categories Observation categories, any of which matches; empty for all
 * @param status a Flag's status, {@code active} or {@code inactive}; empty for either
 */
public record Criteria(
    String resourceType,
    Set<String> patients,
    List<Token> codes,
    List<Token> categories,
    Optional<String> status) {

  /** A criteria string that is not one Vigil can match, and why. */
  public static final class InvalidCriteria extends IllegalArgumentException {
    InvalidCriteria(String message) {
      super(message);
    }
  }

  /** One token of a search: a code, in a system or in none ({@code ""}) or in any (empty). */
  public record Token(Optional<String> system, String code) {

    boolean matches(Coding coding) {
      return code.equals(coding.getCode())
          && system.map(s -> s.equals(coding.hasSystem() ? coding.getSystem() : "")).orElse(true);
    }

    boolean matchesAny(List<CodeableConcept> concepts) {
      return concepts.stream().flatMap(c -> c.getCoding().stream()).anyMatch(this::matches);
    }
  }

  private static final Map<String, Set<String>> PARAMETERS =
      Map.of(
          "Observation", Set.of("patient", "subject", "code", "category"),
          "Flag", Set.of("patient", "subject", "status"));

  public Criteria {
    patients = Set.copyOf(patients);
    codes = List.copyOf(codes);
    categories = List.copyOf(categories);
  }

  /** Parses e.g. {@code Observation?patient=p1&code=http://loinc.org|8867-4}. */
  public static Criteria parse(String criteria) {
    if (criteria == null || criteria.isBlank()) {
      throw new InvalidCriteria("criteria is required, e.g. Observation?patient=…&code=…");
    }
    String text = criteria.strip();
    int question = text.indexOf('?');
    String type = question < 0 ? text : text.substring(0, question);
    if (type.contains("/")) {
      throw new InvalidCriteria(
          "criteria is a search relative to the server, e.g. Flag?status=active, not " + type);
    }
    Set<String> supported = PARAMETERS.get(type);
    if (supported == null) {
      throw new InvalidCriteria(
          "criteria on "
              + (type.isEmpty() ? "no resource type" : type)
              + " are not supported; subscribe to Observation or Flag");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    String query = question < 0 ? "" : text.substring(question + 1);
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      if (!supported.contains(name)) {
        throw new InvalidCriteria(
            "criteria parameter "
                + name
                + " is not supported on "
                + type
                + "; use "
                + String.join(", ", supported.stream().sorted().toList()));
      }
      if (value.isBlank()) {
        throw new InvalidCriteria("criteria parameter " + name + " has no value");
      }
      String key = name.equals("subject") ? "patient" : name;
      if (parameters.put(key, value) != null) {
        throw new InvalidCriteria(
            "give " + name + " once in criteria (values separated by commas match any of them)");
      }
    }
    Set<String> patients = new LinkedHashSet<>();
    for (String value : values(parameters.get("patient"))) {
      String id = value;
      if (value.contains("/")) {
        if (!value.startsWith("Patient/") || value.length() == "Patient/".length()) {
          throw new InvalidCriteria("criteria's patient must be a Patient, not " + value);
        }
        id = value.substring("Patient/".length());
      }
      if (!id.matches("[A-Za-z0-9\\-.]{1,64}")) {
        throw new InvalidCriteria("criteria's patient " + value + " is not a Patient id");
      }
      patients.add(id);
    }
    Optional<String> status = Optional.ofNullable(parameters.get("status"));
    if (status.isPresent() && !Set.of("active", "inactive").contains(status.get())) {
      throw new InvalidCriteria("a Flag's status is active or inactive, not " + status.get());
    }
    return new Criteria(
        type,
        patients,
        tokens("code", parameters.get("code")),
        tokens("category", parameters.get("category")),
        status);
  }

  /** The patients a criteria string names, or none when it does not parse. */
  public static Set<String> patientsNamed(String criteria) {
    try {
      return parse(criteria).patients();
    } catch (InvalidCriteria e) {
      return Set.of();
    }
  }

  /** Whether the criteria could match readings or alarms of the patient. */
  boolean mayConcern(String patientId) {
    return patients.isEmpty() || patients.contains(patientId);
  }

  /** Whether the resource is one the search would return. */
  boolean matches(IBaseResource resource) {
    return switch (resource) {
      case Observation o when resourceType.equals("Observation") ->
          mayConcern(patientOf(o.getSubject()))
              && (codes.isEmpty()
                  || codes.stream().anyMatch(t -> t.matchesAny(List.of(o.getCode()))))
              && (categories.isEmpty()
                  || categories.stream().anyMatch(t -> t.matchesAny(o.getCategory())));
      case Flag f when resourceType.equals("Flag") ->
          mayConcern(patientOf(f.getSubject()))
              && status.map(s -> s.equals(f.getStatus().toCode())).orElse(true);
      default -> false;
    };
  }

  private static String patientOf(Reference subject) {
    var id = subject.getReferenceElement();
    return "Patient".equals(id.getResourceType()) ? id.getIdPart() : "";
  }

  private static List<String> values(String value) {
    if (value == null) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (String one : value.split(",")) {
      if (one.isBlank()) {
        throw new InvalidCriteria("criteria has an empty value in " + value);
      }
      values.add(one.strip());
    }
    return values;
  }

  private static List<Token> tokens(String name, String value) {
    List<Token> tokens = new ArrayList<>();
    for (String one : values(value)) {
      int bar = one.indexOf('|');
      Token token =
          bar < 0
              ? new Token(Optional.empty(), one)
              : new Token(Optional.of(one.substring(0, bar)), one.substring(bar + 1));
      if (token.code().isEmpty()) {
        throw new InvalidCriteria("criteria's " + name + " " + one + " has no code");
      }
      tokens.add(token);
    }
    return tokens;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidCriteria("criteria is not URL-encoded properly: " + text);
    }
  }
}
