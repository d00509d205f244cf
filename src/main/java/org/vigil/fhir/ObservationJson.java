package org.vigil.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.vigil.measurement.Consciousness;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementType;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * Writes the Observation {@link ObservationMapper#toObservation} makes of a reading straight to
 * JSON with Jackson's streaming generator: the same characters HAPI's JSON encoder writes for that
 * Observation, without building it. HAPI's encoder walks its element model (about 18 µs an
 * Observation on one core) and set the pace of {@code $export}; Vigil's Observations have one fixed
 * shape, which this writes field by field in the order of the R4 Observation definition, as HAPI
 * does.
 *
 * <p>The equivalence is proven by {@code ObservationJsonTest} over a domain: ids that are plain
 * FHIR ids (as Vigil's patient and device ids are), times from 1900 to 9999, and a default time
 * zone whose offset is whole minutes (HAPI prints {@code issued} and {@code lastUpdated} in it). A
 * reading outside that domain is encoded by HAPI itself, so the output is HAPI's either way.
 */
@Component
class ObservationJson {

  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
  private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-30T00:00:00Z");

  private static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");
  private static final DateTimeFormatter ZULU_SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ZULU_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final SerializableString RESOURCE_TYPE = name("resourceType");
  private static final SerializableString ID = name("id");
  private static final SerializableString META = name("meta");
  private static final SerializableString VERSION_ID = name("versionId");
  private static final SerializableString LAST_UPDATED = name("lastUpdated");
  private static final SerializableString PROFILE = name("profile");
  private static final SerializableString STATUS = name("status");
  private static final SerializableString CATEGORY = name("category");
  private static final SerializableString CODING = name("coding");
  private static final SerializableString SYSTEM = name("system");
  private static final SerializableString CODE = name("code");
  private static final SerializableString DISPLAY = name("display");
  private static final SerializableString TEXT = name("text");
  private static final SerializableString SUBJECT = name("subject");
  private static final SerializableString REFERENCE = name("reference");
  private static final SerializableString EFFECTIVE = name("effectiveDateTime");
  private static final SerializableString ISSUED = name("issued");
  private static final SerializableString PERFORMER = name("performer");
  private static final SerializableString VALUE_QUANTITY = name("valueQuantity");
  private static final SerializableString VALUE_CONCEPT = name("valueCodeableConcept");
  private static final SerializableString VALUE = name("value");
  private static final SerializableString UNIT = name("unit");
  private static final SerializableString DEVICE = name("device");

  private final MeasurementCatalog catalog;
  private final ObservationMapper mapper;
  private final FhirContext fhir;

  // HAPI encodes with Jackson 2's defaults: forward slashes as they are, upper-case hex escapes.
  private final JsonFactory json =
      JsonFactory.builder()
          .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
          .enable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
          .rootValueSeparator((String) null)
          .build();

  ObservationJson(MeasurementCatalog catalog, ObservationMapper mapper, FhirContext fhir) {
    this.catalog = catalog;
    this.mapper = mapper;
    this.fhir = fhir;
  }

  /**
   * A generator for {@link #write}: root values follow each other with nothing between them (NDJSON
   * callers add the line breaks), and closing it closes {@code out}.
   */
  JsonGenerator generator(Writer out) {
    return json.createGenerator(ObjectWriteContext.empty(), out);
  }

  /** The Observation of one reading as compact JSON. */
  String toJson(Measurement m) {
    StringWriter out = new StringWriter(1024);
    try (JsonGenerator generator = generator(out)) {
      write(m, generator);
    }
    return out.toString();
  }

  /** Writes the Observation of {@code m} as the next JSON value of {@code out}. */
  void write(Measurement m, JsonGenerator out) {
    ZoneId zone = TimeZone.getDefault().toZoneId();
    if (!withinProvenDomain(m, zone)) {
      IParser parser = fhir.newJsonParser().setPrettyPrint(false);
      out.writeRawValue(parser.encodeResourceToString(mapper.toObservation(m)));
      return;
    }
    MeasurementType type = catalog.find(m.code()).orElse(null);
    Optional<Consciousness> level =
        MeasurementCatalog.LEVEL_OF_CONSCIOUSNESS.equals(m.code())
            ? Consciousness.ofValue(m.value())
            : Optional.empty();
    // HAPI prints a Date-made instant in the JVM's default zone, to the millisecond.
    String stored = INSTANT.format(m.receivedAt().atZone(zone));

    out.writeStartObject();
    out.writeName(RESOURCE_TYPE);
    out.writeString("Observation");
    out.writeName(ID);
    out.writeString(Long.toString(m.id()));
    out.writeName(META);
    out.writeStartObject();
    out.writeName(VERSION_ID);
    out.writeString(ObservationMapper.VERSION);
    out.writeName(LAST_UPDATED);
    out.writeString(stored);
    if (type != null && type.profile().isPresent()) {
      out.writeName(PROFILE);
      out.writeStartArray();
      out.writeString(type.profile().get());
      out.writeEndArray();
    }
    out.writeEndObject();
    out.writeName(STATUS);
    out.writeString("final");
    if (type != null) {
      out.writeName(CATEGORY);
      out.writeStartArray();
      out.writeStartObject();
      out.writeName(CODING);
      out.writeStartArray();
      coding(
          out,
          ObservationMapper.CATEGORY_SYSTEM,
          type.category(),
          ObservationMapper.categoryDisplay(type.category()));
      out.writeEndArray();
      out.writeEndObject();
      out.writeEndArray();
    }
    out.writeName(CODE);
    out.writeStartObject();
    out.writeName(CODING);
    out.writeStartArray();
    coding(out, ObservationMapper.LOINC, m.code(), type != null ? type.display() : null);
    if (type != null) {
      for (String extra : type.additionalCodes()) {
        coding(out, ObservationMapper.LOINC, extra, null);
      }
    }
    if (m.hasMdcCode()) {
      coding(out, ObservationMapper.MDC, Integer.toString(m.mdcCode()), null);
    }
    if (level.isPresent()) {
      coding(out, ObservationMapper.SNOMED, Consciousness.SNOMED_SCALE, null);
    }
    out.writeEndArray();
    if (type != null) {
      out.writeName(TEXT);
      out.writeString(type.display());
    }
    out.writeEndObject();
    out.writeName(SUBJECT);
    reference(out, "Patient/" + m.patientId());
    out.writeName(EFFECTIVE);
    out.writeString(
        (m.effectiveAt().getNano() == 0 ? ZULU_SECONDS : ZULU_MILLIS).format(m.effectiveAt()));
    out.writeName(ISSUED);
    out.writeString(stored);
    if (m.isManualEntry()) {
      out.writeName(PERFORMER);
      out.writeStartArray();
      reference(out, "Practitioner/" + practitioner(m));
      out.writeEndArray();
    }
    if (level.isPresent()) {
      out.writeName(VALUE_CONCEPT);
      out.writeStartObject();
      out.writeName(CODING);
      out.writeStartArray();
      coding(out, ObservationMapper.SNOMED, level.get().snomedCode(), level.get().display());
      out.writeEndArray();
      out.writeEndObject();
    } else {
      out.writeName(VALUE_QUANTITY);
      out.writeStartObject();
      out.writeName(VALUE);
      // HAPI writes the decimal's own text: 72, 97.5, 1.0E+20.
      out.writeNumber(ObservationMapper.decimal(m.value()));
      out.writeName(UNIT);
      out.writeString(type != null ? type.unitDisplay() : m.unit());
      out.writeName(SYSTEM);
      out.writeString(ObservationMapper.UCUM);
      out.writeName(CODE);
      out.writeString(m.unit());
      out.writeEndObject();
    }
    if (!m.isManualEntry()) {
      out.writeName(DEVICE);
      reference(out, "Device/" + m.deviceId());
    }
    out.writeEndObject();
  }

  /**
   * Whether {@code m} lies where this writer is proven to match HAPI: HAPI rewrites references
   * whose ids look like versions or URLs, and prints times before the Gregorian calendar and zone
   * offsets with seconds its own way.
   */
  private static boolean withinProvenDomain(Measurement m, ZoneId zone) {
    String source = m.isManualEntry() ? practitioner(m) : m.deviceId();
    return FHIR_ID.matcher(m.patientId()).matches()
        && FHIR_ID.matcher(source).matches()
        && within(m.effectiveAt())
        && within(m.receivedAt())
        && zone.getRules().getOffset(m.receivedAt()).getTotalSeconds() % 60 == 0;
  }

  private static boolean within(Instant time) {
    return !time.isBefore(EARLIEST) && time.isBefore(LATEST);
  }

  private static String practitioner(Measurement m) {
    return m.deviceId().substring(Measurement.MANUAL_ENTRY_PREFIX.length());
  }

  private static void coding(JsonGenerator out, String system, String code, String display) {
    out.writeStartObject();
    out.writeName(SYSTEM);
    out.writeString(system);
    out.writeName(CODE);
    out.writeString(code);
    if (display != null) {
      out.writeName(DISPLAY);
      out.writeString(display);
    }
    out.writeEndObject();
  }

  private static void reference(JsonGenerator out, String reference) {
    out.writeStartObject();
    out.writeName(REFERENCE);
    out.writeString(reference);
    out.writeEndObject();
  }

  private static SerializableString name(String name) {
    return new SerializedString(name);
  }
}
