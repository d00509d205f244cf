package org.vigil.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.vigil.analytics.EarlyWarningScores;
import org.vigil.analytics.News2Parameter;
import org.vigil.analytics.News2Score;
import org.vigil.analytics.News2Score.Absence;
import org.vigil.analytics.RiskBand;

/**
 * NEWS2 scores as FHIR Observations, shaped after NHS Digital's FHIR-NEWS2 guidance: SNOMED CT code
 * 1104051000000101, the total as valueInteger, one component per parameter with its sub-score (or a
 * dataAbsentReason when the input was missing or stale), the clinical risk as interpretation, and
 * the readings it was scored from as derivedFrom. An incomplete score is {@code preliminary} and
 * says in a note which inputs it lacked, so no one reads its total as the patient's NEWS2.
 */
@Component
class News2Observations {

  static final String SNOMED = "http://snomed.info/sct";
  static final String TOTAL_CODE = "1104051000000101";
  static final String TOTAL_DISPLAY =
      "Royal College of Physicians National Early Warning Score 2 total score";

  /** Ids of NEWS2 Observations; readings' ids are plain numbers, so the two never collide. */
  static final String ID_PREFIX = "news2-";

  /** Vigil's code system for RCP 2017 Chart 4's clinical-risk categories. */
  static final String RISK_SYSTEM = "https://vigil.health/fhir/CodeSystem/news2-clinical-risk";

  private static final String ABSENT_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/data-absent-reason";
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  private final EarlyWarningScores scores;

  News2Observations(EarlyWarningScores scores) {
    this.scores = scores;
  }

  static boolean isNews2Id(String id) {
    return id.startsWith(ID_PREFIX);
  }

  Optional<Observation> read(String id) {
    String number = id.substring(ID_PREFIX.length());
    if (number.isEmpty() || !number.chars().allMatch(Character::isDigit) || number.length() > 18) {
      return Optional.empty();
    }
    return scores.find(Long.parseLong(number)).map(News2Observations::toObservation);
  }

  /** Whether a search's codes ask for NEWS2 (with or without the SNOMED CT system). */
  static boolean asksForNews2(List<Coding> codes) {
    return codes.stream()
        .anyMatch(c ->
            TOTAL_CODE.equals(c.getCode()) && (!c.hasSystem() || SNOMED.equals(c.getSystem())));
  }

  /**
   * A patient's NEWS2 history, newest first unless asked otherwise, one page of at most {@code
   * max}. NEWS2 is searched on its own: together with readings' codes it is a 400.
   */
  IBundleProvider search(
      String patientId, TokenOrListParam code, DateRangeParam date, boolean newestFirst, int max) {
    if (code.getValuesAsQueryTokens().size() > 1) {
      throw new InvalidRequestException(
          "search NEWS2 (" + SNOMED + "|" + TOTAL_CODE + ") on its own, not with other codes");
    }
    Optional<Instant> from =
        Optional.ofNullable(date).map(DateRangeParam::getLowerBoundAsInstant).map(Date::toInstant);
    Optional<Instant> to =
        Optional.ofNullable(date).map(DateRangeParam::getUpperBoundAsInstant).map(Date::toInstant);
    List<IBaseResource> page =
        scores.history(patientId, from, to, !newestFirst, max).stream()
            .<IBaseResource>map(News2Observations::toObservation)
            .toList();
    SimpleBundleProvider bundle = new SimpleBundleProvider(page);
    bundle.setPreferredPageSize(Math.max(1, page.size()));
    bundle.setSize((int) Math.min(Integer.MAX_VALUE, scores.count(patientId, from, to)));
    return bundle;
  }

  /** The latest {@code max} scores of each patient, for $lastn. */
  List<IBaseResource> latest(Set<String> patients, int max) {
    List<IBaseResource> latest = new ArrayList<>();
    for (String patient : patients) {
      scores.history(patient, Optional.empty(), Optional.empty(), false, max).stream()
          .map(News2Observations::toObservation)
          .forEach(latest::add);
    }
    return latest;
  }

  static Observation toObservation(News2Score score) {
    Observation o = new Observation();
    o.setId(ID_PREFIX + score.id());
    o.getMeta().setVersionId(ObservationMapper.VERSION);
    o.setStatus(
        score.complete()
            ? Observation.ObservationStatus.FINAL
            : Observation.ObservationStatus.PRELIMINARY);
    o.addCategory().addCoding(new Coding(ObservationMapper.CATEGORY_SYSTEM, "survey", "Survey"));
    o.getCode().addCoding(new Coding(SNOMED, TOTAL_CODE, TOTAL_DISPLAY)).setText("NEWS2");
    o.setSubject(new Reference("Patient/" + score.patientId()));
    DateTimeType effective =
        new DateTimeType(Date.from(score.effectiveAt()), TemporalPrecisionEnum.SECOND, UTC);
    effective.setTimeZoneZulu(true);
    o.setEffective(effective);
    o.setValue(new IntegerType(score.total()));
    RiskBand band = score.band();
    o.addInterpretation(
        new CodeableConcept(new Coding(RISK_SYSTEM, riskCode(band), band.display()))
            .setText(band.display() + ": " + band.response()));
    for (News2Parameter parameter : News2Parameter.values()) {
      Observation.ObservationComponentComponent component = o.addComponent();
      component
          .getCode()
          .addCoding(new Coding(SNOMED, parameter.snomedCode(score.scale()), parameter.display()));
      News2Score.SubScore sub = score.scored().get(parameter);
      if (sub != null) {
        component.setValue(new IntegerType(sub.points()));
        o.addDerivedFrom(new Reference("Observation/" + sub.inputId()));
      } else {
        Absence absence = score.absent().get(parameter);
        component.setDataAbsentReason(
            absence.reason() == Absence.Reason.STALE
                ? new CodeableConcept(new Coding(ABSENT_SYSTEM, "unknown", "Unknown"))
                    .setText("the last reading is older than its freshness window")
                : new CodeableConcept(new Coding(ABSENT_SYSTEM, "not-performed", "Not Performed"))
                    .setText("no reading"));
      }
    }
    if (!score.complete()) {
      o.addNote()
          .setText(
              "Incomplete: no current "
                  + score.absent().keySet().stream()
                      .map(News2Parameter::label)
                      .collect(Collectors.joining(", "))
                  + ". The total and the clinical risk are the least they can be.");
    }
    if (score.scale().number() == 2) {
      o.addNote().setText("SpO2 scored on scale 2 (prescribed target 88–92 %).");
    }
    return o;
  }

  private static String riskCode(RiskBand band) {
    return Map.of(
            RiskBand.LOW, "low",
            RiskBand.LOW_MEDIUM, "low-medium",
            RiskBand.MEDIUM, "medium",
            RiskBand.HIGH, "high")
        .get(band);
  }
}
