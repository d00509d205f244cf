package org.vigil;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The package dependencies DESIGN.md describes, enforced. Each rule says what to do instead when it
 * fails.
 */
class ArchitectureTest {

  private static JavaClasses vigil;

  @BeforeAll
  static void importClasses() {
    vigil =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.vigil");
  }

  /** Classes of Vigil outside the given feature packages (names relative to org.vigil). */
  private static DescribedPredicate<JavaClass> vigilOutside(String... features) {
    return DescribedPredicate.describe(
        "Vigil classes outside " + Arrays.toString(features),
        c ->
            c.getPackageName().startsWith("org.vigil.")
                && Arrays.stream(features)
                    .noneMatch(f ->
                        c.getPackageName().equals("org.vigil." + f)
                            || c.getPackageName().startsWith("org.vigil." + f + ".")));
  }

  private static ArchRule dependsOnlyOn(String feature, String because, String... allowed) {
    String[] own = Arrays.copyOf(allowed, allowed.length + 1);
    own[allowed.length] = feature;
    return noClasses()
        .that()
        .resideInAPackage("org.vigil." + feature + "..")
        .should()
        .dependOnClassesThat(vigilOutside(own))
        .because(because);
  }

  @Test
  void featurePackagesHaveNoCycles() {
    slices()
        .matching("org.vigil.(*)..")
        .should()
        .beFreeOfCycles()
        .because(
            "features depend on each other in one direction; break a cycle with an interface in"
                + " the lower feature")
        .check(vigil);
  }

  @Test
  void theMeasurementModelDependsOnNothingOfVigil() {
    dependsOnlyOn("measurement", "the canonical record is the core every feature shares")
        .check(vigil);
  }

  @Test
  void normalizationKnowsOnlyTheMeasurementModel() {
    dependsOnlyOn(
            "normalize",
            "codecs must work the same for every transport: put transport concerns in the"
                + " transport",
            "measurement")
        .check(vigil);
  }

  @Test
  void theIngestLogKnowsOnlyTheMeasurementModel() {
    dependsOnlyOn(
            "log",
            "the log is swapped for Kafka by configuration: it must not know its producers or"
                + " consumers",
            "measurement")
        .check(vigil);
  }

  @Test
  void transportsDoNotTouchStorage() {
    noClasses()
        .that()
        .resideInAPackage("org.vigil.ingest..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.vigil.store..", "org.vigil.fhir..")
        .because(
            "transports must not depend on storage: go through IngestLog, which acknowledges only"
                + " durable readings")
        .check(vigil);
  }

  @Test
  void storageDoesNotKnowWhoCallsIt() {
    dependsOnlyOn(
            "store",
            "storage serves every feature and must depend on none of them",
            "measurement",
            "log",
            "node")
        .check(vigil);
  }

  @Test
  void theAuditTrailDependsOnNoFeature() {
    dependsOnlyOn(
            "audit", "every feature records into the audit trail, so it may depend on none of them")
        .check(vigil);
  }

  @Test
  void fieldEncryptionDependsOnNoFeature() {
    dependsOnlyOn(
            "privacy",
            "storage of every feature encrypts through it; a KMS implementation replaces it",
            "node")
        .check(vigil);
  }

  @Test
  void theSimulatorTalksToVigilOnlyOverTheWire() {
    dependsOnlyOn(
            "simulate",
            "a simulator that calls Vigil's code in-process proves nothing about the transports")
        .check(vigil);
  }

  @Test
  void onlyTheCommandLineAndTheDemoSitOnTop() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "org.vigil.cli..", "org.vigil.demo..", "org.vigil.bench..", "org.vigil")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.vigil.cli..", "org.vigil.demo..", "org.vigil.bench..")
        .because("the demo, benchmarks and the command line use features; no feature uses them")
        .check(vigil);
  }

  @Test
  void collaboratorsAreInjectedThroughConstructors() {
    fields()
        .should()
        .notBeAnnotatedWith(Autowired.class)
        .because("constructor injection into final fields keeps dependencies visible")
        .check(vigil);
  }

  @Test
  void noUtilDumpingGroundsOrImplSuffixes() {
    noClasses()
        .should()
        .resideInAnyPackage("..util..", "..utils..", "..helper..", "..common..")
        .orShould()
        .haveSimpleNameEndingWith("Impl")
        .because("domain types live in their feature, named for what they are")
        .check(vigil);
  }
}
