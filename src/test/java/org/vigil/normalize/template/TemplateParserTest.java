package org.vigil.normalize.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.measurement.MeasurementCatalog;

/** Each kind of mistake in a template is reported with the field and the bad expression. */
class TemplateParserTest {

  private final TemplateEngine engine = new TemplateEngine(MeasurementCatalog.standard());

  private List<String> problems(String template) {
    try {
      engine.parse("test", template);
    } catch (TemplateException e) {
      return e.problems();
    }
    throw new AssertionError("the template was accepted");
  }

  @Test
  void acceptsAMinimalTemplate() {
    MappingTemplate template =
        engine.parse(
            "test",
            """
            {"name":"minimal","deviceTypes":["thermo"],
             "values":[{"name":"t","path":"$.temp","code":"8310-5","unit":"Cel"}]}\
            """);

    assertThat(template.values())
        .singleElement()
        .satisfies(v -> assertThat(v.code()).isEqualTo("8310-5"));
  }

  @Test
  void namesAnInvalidJsonPath() {
    assertThat(
            problems(
                """
                {"name":"bad-path","deviceTypes":["x"],
                 "values":[{"name":"hr","path":"$.hr[","code":"8867-4","unit":"/min"}]}\
                """))
        .singleElement()
        .asString()
        .startsWith("values[0].path: invalid JSONPath '$.hr[': brackets do not balance");
  }

  @Test
  void namesAnUnknownCodeAndAUnitTheCodeDoesNotTake() {
    assertThat(
            problems(
                """
                {"name":"bad-codes","deviceTypes":["x"],
                 "values":[{"name":"a","path":"$.a","code":"1234-5","unit":"/min"},
                           {"name":"b","path":"$.b","code":"8867-4","unit":"Hz"},
                           {"name":"c","path":"$.c","code":"29463-7","unitPath":"$.u","units":{"st":"stone"}}]}\
                """))
        .anySatisfy(p -> assertThat(p).startsWith("values[0].code: LOINC 1234-5 is not a quantity"))
        .anySatisfy(
            p -> assertThat(p).startsWith("values[1].unit: 'Hz' is not accepted for 8867-4"))
        .anySatisfy(p -> assertThat(p).startsWith("values[2].units.st: 'stone' is not accepted"));
  }

  @Test
  void namesABadExpressionAndAnUnknownVariable() {
    assertThat(
            problems(
                """
                {"name":"bad-calc","deviceTypes":["x"],
                 "values":[{"name":"sys","path":"$.s","code":"8480-6","unit":"mm[Hg]"}],
                 "calculated":[{"name":"map","code":"8478-0","expression":"(#sys + 2 * #dia) / 3"},
                               {"name":"m2","code":"8478-0","expression":"(#sys +"}]}\
                """))
        .anySatisfy(p -> assertThat(p).startsWith("calculated[0].expression: #dia is not a value"))
        .anySatisfy(p ->
            assertThat(p).startsWith("calculated[1].expression: invalid expression '(#sys +'"));
  }

  @Test
  void namesMissingPartsAndBadFormats() {
    assertThat(
            problems(
                """
                {"deviceTypes":[],"values":[{"name":"hr","code":"8867-4"}],
                 "timestamp":{"path":"$.t","format":"rfc2822"}}\
                """))
        .contains(
            "name: is required",
            "deviceTypes: a list of the device types this template reads is required",
            "values[0].path: a JSONPath expression is required",
            "values[0]: give the unit the device sends (unit) or where it says it (unitPath)",
            "timestamp.format: 'rfc2822' must be iso8601, epoch-seconds or epoch-millis");
  }

  @Test
  void readsYamlAndReportsMalformedText() {
    assertThat(
            engine
                .parse(
                    "yaml",
                    """
                    name: from-yaml
                    deviceTypes: [scale]
                    values:
                      - {name: w, path: $.w, code: 29463-7, unit: kg}
                    """)
                .name())
        .isEqualTo("from-yaml");
    assertThatThrownBy(() -> engine.parse("broken", "{\"name\": "))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> engine.parse("broken", "name: [unclosed"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("malformed YAML");
  }
}
