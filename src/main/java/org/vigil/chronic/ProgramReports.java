package org.vigil.chronic;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.springframework.stereotype.Service;
import org.springframework.web.util.HtmlUtils;
import org.vigil.measurement.Measurement;
import org.vigil.patient.PatientRepository;

/**
 * Builds the remote-monitoring program report and writes it as HTML (printable: its own print style
 * sheet) and as PDF (Apache PDFBox, the standard Helvetica font). Both show the same lines, made
 * once in {@link #lines}.
 */
@Service
public class ProgramReports {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;

  /** Screen and print styles: A4 margins, no page break inside a section. */
  private static final String STYLE =
      "body{font-family:system-ui,sans-serif;color:#1d2433;margin:2rem;max-width:52rem}"
          + "h1{font-size:1.5rem}h2{font-size:1.1rem;border-bottom:1px solid #ccd;margin-top:1.5rem}"
          + "li{margin:.2rem 0}footer{margin-top:2rem;color:#556;font-size:.85rem}"
          + "@media print{@page{size:A4;margin:18mm}body{margin:0;font-size:10.5pt}"
          + "section{break-inside:avoid}}";

  private final CareMetrics metrics;
  private final ReviewTimes reviews;
  private final PatientRepository patients;
  private final List<AdherenceSource> adherence;

  ProgramReports(
      CareMetrics metrics,
      ReviewTimes reviews,
      PatientRepository patients,
      List<AdherenceSource> adherence) {
    this.metrics = metrics;
    this.reviews = reviews;
    this.patients = patients;
    this.adherence = List.copyOf(adherence);
  }

  public ProgramReport build(CarePlan plan, Instant from, Instant to) {
    ZoneId zone = plan.zone();
    Set<LocalDate> days = new TreeSet<>();
    for (Measurement m : metrics.readings(plan.patientId(), Set.of(), from, to)) {
      if (!m.isManualEntry() && m.effectiveAt().isBefore(to)) {
        days.add(m.effectiveAt().atZone(zone).toLocalDate());
      }
    }
    LocalDate first = from.atZone(zone).toLocalDate();
    LocalDate last = to.minusMillis(1).atZone(zone).toLocalDate();
    int inPeriod = (int) (last.toEpochDay() - first.toEpochDay() + 1);
    int required =
        (int)
            Math.ceil((double) ProgramReport.RULE_DAYS * inPeriod / ProgramReport.RULE_PERIOD_DAYS);
    CareMetrics.Snapshot snapshot = metrics.of(plan, to);
    Optional<AdherenceSource.Adherence> taken =
        adherence.stream()
            .map(a -> a.adherence(plan.patientId(), from, to))
            .flatMap(Optional::stream)
            .findFirst();
    String name =
        patients
            .find(plan.patientId())
            .map(p -> p.givenName() + " " + p.familyName())
            .orElse(plan.patientId());
    return new ProgramReport(
        plan.patientId(),
        name,
        from,
        to,
        inPeriod,
        days.size(),
        required,
        List.copyOf(days),
        reviews.of(plan.patientId(), from, to),
        snapshot,
        CareSummaries.of(snapshot),
        taken);
  }

  /** A section of the report: a heading and its lines. */
  record Section(String heading, List<String> lines) {}

  static List<Section> lines(ProgramReport r) {
    ZoneId zone = r.metrics().plan().zone();
    List<Section> sections = new ArrayList<>();
    CarePlan plan = r.metrics().plan();
    sections.add(
        new Section(
            "Patient and period",
            List.of(
                "Patient: " + r.patientName() + " (" + r.patientId() + ")",
                "Period: "
                    + DATE.format(r.from().atZone(zone))
                    + " to "
                    + DATE.format(r.to().minusMillis(1).atZone(zone))
                    + " ("
                    + r.daysInPeriod()
                    + " days, time zone "
                    + zone.getId()
                    + ")",
                "Programs: "
                    + (plan.programs().isEmpty()
                        ? "none"
                        : String.join(
                            ", ",
                            plan.programs().stream()
                                .sorted()
                                .map(CareProgram::display)
                                .toList())))));
    sections.add(
        new Section(
            "Days with device readings",
            List.of(
                "Days with readings: "
                    + r.daysWithReadings()
                    + " of "
                    + r.daysInPeriod()
                    + " (rule: "
                    + r.daysRequired()
                    + " days, 16 of 30 scaled to the period) - "
                    + (r.daysRuleMet() ? "met" : "not met"))));
    List<String> review = new ArrayList<>();
    review.add(
        "Clinician review time: "
            + minutes(r.reviewSeconds())
            + " (logged by the web app while the patient's record was open)");
    for (ReviewTimes.ByPerson p : r.reviews()) {
      review.add("  " + p.username() + ": " + minutes(p.seconds()));
    }
    sections.add(new Section("Review time", review));

    CareMetrics.Snapshot s = r.metrics();
    CareTargets t = plan.targets();
    List<String> targets = new ArrayList<>();
    HomeBloodPressure bp = s.bloodPressure();
    targets.add(
        "Home blood pressure (ESH: 7 days, first day discarded): "
            + (bp.readings() == 0
                ? "no readings"
                : CareSummaries.whole(bp.systolic())
                    + "/"
                    + CareSummaries.whole(bp.diastolic())
                    + " mmHg from "
                    + bp.readings()
                    + " readings on "
                    + bp.days()
                    + " days")
            + "; target below "
            + CareSummaries.whole(t.bpSystolicBelow())
            + "/"
            + CareSummaries.whole(t.bpDiastolicBelow())
            + " - "
            + bp.atTarget(t.bpSystolicBelow(), t.bpDiastolicBelow())
                .map(met -> met ? "met" : "not met")
                .orElse("not enough readings to judge"));
    TimeInRange g = s.glucose();
    targets.add(
        "Glucose, 14 days (consensus, Battelino 2019): "
            + (g.readings() == 0
                ? "no readings"
                : "TIR 70-180 "
                    + CareSummaries.one(g.tir())
                    + "%, TBR <70 "
                    + CareSummaries.one(g.tbr70())
                    + "%, <54 "
                    + CareSummaries.one(g.tbr54())
                    + "%, TAR >180 "
                    + CareSummaries.one(g.tar180())
                    + "%, >250 "
                    + CareSummaries.one(g.tar250())
                    + "%, mean "
                    + CareSummaries.whole(g.mean())
                    + " mg/dL, GMI "
                    + CareSummaries.one(g.gmi())
                    + "%, CV "
                    + CareSummaries.one(g.cv())
                    + "%")
            + "; "
            + g.readings()
            + " of "
            + g.expectedReadings()
            + " expected readings ("
            + CareSummaries.one(g.capturePercent())
            + "%) - "
            + (!g.sufficient()
                ? "insufficient data (at least 70% needed)"
                : g.targetsMet() ? "consensus targets met" : "consensus targets not met"));
    CareMetrics.Weight w = s.weight();
    targets.add(
        "Weight: "
            + w.latest()
                .map(kg -> CareSummaries.kg(kg) + " on " + w.latestDay().orElseThrow())
                .orElse("no readings")
            + t.targetWeightKg().map(kg -> "; target " + CareSummaries.kg(kg)).orElse("")
            + w.heartFailure()
                .map(a ->
                    "; gain over "
                        + t.weightGain().days()
                        + " days "
                        + CareSummaries.kg(a.gain())
                        + " (rule: more than "
                        + CareSummaries.kg(t.weightGain().kg())
                        + ") - "
                        + (a.exceeded() ? "exceeded" : "within"))
                .orElse(""));
    CareMetrics.Oxygen o = s.oxygen();
    if (plan.in(CareProgram.COPD) || o.readings() > 0) {
      targets.add(
          "SpO2, 7 days: "
              + (o.readings() == 0
                  ? "no readings"
                  : CareSummaries.whole(o.inRangePercent())
                      + "% of "
                      + o.readings()
                      + " readings in "
                      + CareSummaries.whole(t.spo2Low())
                      + "-"
                      + CareSummaries.whole(t.spo2High())
                      + "%, median "
                      + CareSummaries.whole(o.median())
                      + "%")
              + (o.trends().isEmpty()
                  ? ""
                  : "; open trend alarms (heuristic): " + String.join(", ", o.trends())));
    }
    sections.add(new Section("Targets", targets));
    sections.add(
        new Section(
            "Medication adherence",
            List.of(
                r.adherence()
                    .map(a ->
                        "Doses on time "
                            + CareSummaries.one(a.onTimePercent())
                            + "%, proportion of days covered "
                            + CareSummaries.one(a.pdcPercent())
                            + "% ("
                            + a.description()
                            + ")")
                    .orElse("Medication adherence: not available"))));
    sections.add(
        new Section(
            "What the patient reads",
            r.summaries().stream().map(CareSummaries.Summary::text).toList()));
    return sections;
  }

  private static String minutes(long seconds) {
    return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
  }

  public String html(ProgramReport r) {
    StringBuilder out = new StringBuilder();
    out.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Remote monitoring report - ")
        .append(HtmlUtils.htmlEscape(r.patientName()))
        .append("</title>")
        // Styles inline: the report is saved and filed, opened from disk where no link resolves.
        .append("<style>")
        .append(STYLE)
        .append("</style>")
        .append("</head><body><main class=\"program-report\">")
        .append("<h1>Remote monitoring program report</h1>");
    for (Section section : lines(r)) {
      out.append("<section><h2>").append(HtmlUtils.htmlEscape(section.heading())).append("</h2>");
      out.append("<ul>");
      for (String line : section.lines()) {
        out.append("<li>").append(HtmlUtils.htmlEscape(line.strip())).append("</li>");
      }
      out.append("</ul></section>");
    }
    out.append("<footer>Made by Vigil at ")
        .append(HtmlUtils.htmlEscape(Instant.now().toString()))
        .append(". Formulas and sources: docs/CHRONIC-CARE.md.</footer>");
    out.append("</main></body></html>\n");
    return out.toString();
  }

  public byte[] pdf(ProgramReport r) {
    try (PDDocument document = new PDDocument()) {
      PDDocumentInformation info = document.getDocumentInformation();
      info.setTitle("Remote monitoring program report");
      info.setCreator("Vigil");
      PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
      Pages pages = new Pages(document);
      pages.line(bold, 16, "Remote monitoring program report");
      pages.gap(8);
      for (Section section : lines(r)) {
        pages.line(bold, 12, section.heading());
        for (String line : section.lines()) {
          for (String wrapped : wrap(regular, 10, pdfText(regular, line), 500)) {
            pages.line(regular, 10, wrapped);
          }
        }
        pages.gap(6);
      }
      pages.line(
          regular, 8, "Made by Vigil at " + Instant.now() + ". Sources: docs/CHRONIC-CARE.md.");
      pages.close();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      document.save(bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text with what the standard font cannot show replaced (it has no ≥, for one). */
  static String pdfText(PDType1Font font, String text) {
    String plain = text.replace("≥", ">=").replace("≤", "<=").replace("–", "-");
    StringBuilder out = new StringBuilder();
    plain
        .codePoints()
        .forEach(c -> {
          String one = new String(Character.toChars(c));
          try {
            font.encode(one);
            out.append(one);
          } catch (IOException | IllegalArgumentException e) {
            out.append('?');
          }
        });
    return out.toString();
  }

  private static List<String> wrap(PDType1Font font, float size, String text, float width)
      throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (font.getStringWidth(candidate) / 1000 * size > width && !line.isEmpty()) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    lines.add(line.toString());
    return lines;
  }

  /** Writes lines down A4 pages, starting a new page at the bottom margin. */
  private static final class Pages {
    private final PDDocument document;
    private PDPageContentStream content;
    private float y;

    Pages(PDDocument document) throws IOException {
      this.document = document;
      newPage();
    }

    private void newPage() throws IOException {
      if (content != null) {
        content.close();
      }
      PDPage page = new PDPage(PDRectangle.A4);
      document.addPage(page);
      content = new PDPageContentStream(document, page);
      y = PDRectangle.A4.getHeight() - 50;
    }

    void line(PDType1Font font, float size, String text) throws IOException {
      if (y < 50) {
        newPage();
      }
      content.beginText();
      content.setFont(font, size);
      content.newLineAtOffset(50, y);
      content.showText(pdfText(font, text));
      content.endText();
      y -= size * 1.45f;
    }

    void gap(float points) {
      y -= points;
    }

    void close() throws IOException {
      content.close();
    }
  }
}
