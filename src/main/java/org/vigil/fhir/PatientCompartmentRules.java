package org.vigil.fhir;

import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationFlagsEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.IRuleApplier;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Subscription;
import org.springframework.security.core.context.SecurityContextHolder;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;

/**
 * Which patients' data a caller reaches, enforced with HAPI FHIR's own authorization interceptor: a
 * system everything its scopes allow; a person only resources in the Patient compartments of the
 * patients they may see (their own record, or the patients on their wards). A read of anything
 * else, or a search that returns anything else, is refused with 403 — and audited, as every refusal
 * is.
 */
class PatientCompartmentRules extends AuthorizationInterceptor {

  /** Where the caller's patient scope is left for the audit interceptor. */
  static final String SCOPE = PatientCompartmentRules.class.getName() + ".scope";

  private final PatientAccess access;

  PatientCompartmentRules(PatientAccess access) {
    super(PolicyEnum.DENY);
    this.access = access;
  }

  @Override
  public List<IAuthRule> buildRuleList(RequestDetails request) {
    List<IAuthRule> rules = new ArrayList<>(compartmentRules(request));
    PatientAccess.Scope scope = (PatientAccess.Scope) request.getUserData().get(SCOPE);
    if (scope.role().filter(r -> r == Role.NURSE || r == Role.CLINICIAN).isPresent()) {
      rules.addFirst(
          new OwnSearches(SecurityContextHolder.getContext().getAuthentication().getName()));
    }
    if (!scope.allPatients() && !scope.patients().isEmpty()) {
      rules.addFirst(new ReadingHistories(scope.patients()));
    }
    if (scope
        .role()
        .filter(r -> r == Role.PATIENT || r == Role.NURSE || r == Role.CLINICIAN)
        .isPresent()) {
      rules.addFirst(new VideoVisitBooking());
    }
    return rules;
  }

  /**
   * Lets a person ask for the history of an Observation ({@code Observation/{id}/_history}), which
   * HAPI's compartment rule does not decide, and lets its versions through if they are of their
   * patients; any other is refused, by the rules after this one.
   */
  private record ReadingHistories(Set<String> patients) implements IAuthRule {

    @Override
    public AuthorizationInterceptor.Verdict applyRule(
        RestOperationTypeEnum operation,
        RequestDetails request,
        IBaseResource input,
        IIdType inputId,
        IBaseResource output,
        IRuleApplier applier,
        Set<AuthorizationFlagsEnum> flags,
        Pointcut pointcut) {
      if (operation != RestOperationTypeEnum.HISTORY_INSTANCE
          || !"Observation".equals(request.getResourceName())) {
        return null;
      }
      if (output == null) {
        return new AuthorizationInterceptor.Verdict(PolicyEnum.ALLOW, this);
      }
      if (output instanceof Observation observation
          && "Patient".equals(observation.getSubject().getReferenceElement().getResourceType())
          && patients.contains(observation.getSubject().getReferenceElement().getIdPart())) {
        return new AuthorizationInterceptor.Verdict(PolicyEnum.ALLOW, this);
      }
      return null;
    }

    @Override
    public String getName() {
      return "versions of their patients' readings";
    }
  }

  private List<IAuthRule> compartmentRules(RequestDetails request) {
    PatientAccess.Scope scope = access.of(SecurityContextHolder.getContext().getAuthentication());
    request.getUserData().put(SCOPE, scope);
    if (scope.allPatients()) {
      return new RuleBuilder().allowAll("a system, limited by its scopes").build();
    }
    boolean staff = scope.role().filter(r -> r == Role.NURSE || r == Role.CLINICIAN).isPresent();
    if (scope.patients().isEmpty()) {
      IAuthRuleBuilder rules =
          new RuleBuilder().allow("the capability statement").metadata().andThen();
      if (staff) {
        rules = subscriptions(directory(rules));
      }
      if (scope.role().orElse(null) == Role.ADMIN) {
        // Administrators keep the audit trail: they read who did what, to anyone's record (and
        // that reading is audited in turn), never the records themselves.
        rules =
            rules
                .allow("the audit trail, for its administrator")
                .read()
                .resourcesOfType(org.hl7.fhir.r4.model.AuditEvent.class)
                .withAnyId()
                .andThen();
        List<IAuthRule> built = new ArrayList<>(rules.denyAll("no patients to see").build());
        built.addFirst(new PatientRegistration());
        return built;
      }
      return rules.denyAll("no patients to see").build();
    }
    List<IIdType> compartments =
        scope.patients().stream().map(id -> (IIdType) new IdType("Patient", id)).toList();
    IAuthRuleBuilder rules =
        new RuleBuilder().allow("the capability statement").metadata().andThen();
    if (staff) {
      rules = subscriptions(directory(rules));
    }
    return rules
        .allow("their patients' data")
        .read()
        .allResources()
        .inCompartment("Patient", compartments)
        .andThen()
        .allow("their patients' whole records, if everything returned is of their patients")
        .operation()
        .named("$everything")
        .onInstances(compartments)
        .andRequireExplicitResponseAuthorization()
        .andThen()
        .allow("latest readings, if every one is of their patients")
        .operation()
        .named("$lastn")
        .onType(Observation.class)
        .andRequireExplicitResponseAuthorization()
        .andThen()
        .allow("statistics of a patient the operation has checked they may see")
        .operation()
        .named("$stats")
        .onType(Observation.class)
        .andAllowAllResponses()
        .andThen()
        .allow("readings they enter, for a patient the create has checked they may see")
        .create()
        .resourcesOfType(Observation.class)
        .withAnyId()
        .andThen()
        .allow("medicines they prescribe, for a patient the provider has checked they may see")
        .create()
        .resourcesOfType(org.hl7.fhir.r4.model.MedicationRequest.class)
        .withAnyId()
        .andThen()
        .allow("medicines they change or stop, of a patient the provider has checked they may see")
        .write()
        .resourcesOfType(org.hl7.fhir.r4.model.MedicationRequest.class)
        .inCompartment("Patient", compartments)
        .andThen()
        .allow("a set of readings they enter, each entry checked as a create")
        .transaction()
        .withAnyOperation()
        .andApplyNormalRules()
        .andThen()
        .denyAll("outside their patients")
        .build();
  }

  /**
   * Lets patients, nurses and clinicians book video visits — create and update Appointments, create
   * Schedules and Slots — which the providers then check (a person books for themselves or invites
   * a patient they look after; a clinician offers slots on their own schedule only), and read
   * Schedules and Slots, which hold no patient's data. Appointments are read through the Patient
   * compartment as any patient data is.
   */
  private record VideoVisitBooking() implements IAuthRule {

    private static final Set<String> BOOKED = Set.of("Appointment", "Schedule", "Slot");
    private static final Set<String> OFFERED = Set.of("Schedule", "Slot");

    @Override
    public AuthorizationInterceptor.Verdict applyRule(
        RestOperationTypeEnum operation,
        RequestDetails request,
        IBaseResource input,
        IIdType inputId,
        IBaseResource output,
        IRuleApplier applier,
        Set<AuthorizationFlagsEnum> flags,
        Pointcut pointcut) {
      String type = request.getResourceName();
      if (type == null) {
        return null; // a transaction's own request: its entries are decided one by one
      }
      boolean write =
          (operation == RestOperationTypeEnum.CREATE && BOOKED.contains(type))
              || (operation == RestOperationTypeEnum.UPDATE && "Appointment".equals(type));
      boolean read =
          (operation == RestOperationTypeEnum.READ
                  || operation == RestOperationTypeEnum.SEARCH_TYPE)
              && OFFERED.contains(type)
              && (output == null || OFFERED.contains(output.fhirType()));
      return write || read ? new AuthorizationInterceptor.Verdict(PolicyEnum.ALLOW, this) : null;
    }

    @Override
    public String getName() {
      return "video visits they book and the slots offered";
    }
  }

  /**
   * Lets an administrator register patients: create a Patient and update one, conditionally too
   * (HAPI's create and update rules decide a conditional write only where a storage layer checks
   * what it matched, which Vigil's plain server has none of). Reads stay refused: what a write
   * answers with is shown only to callers that may read patients ({@link PatientWrites}).
   */
  private record PatientRegistration() implements IAuthRule {

    @Override
    public AuthorizationInterceptor.Verdict applyRule(
        RestOperationTypeEnum operation,
        RequestDetails request,
        IBaseResource input,
        IIdType inputId,
        IBaseResource output,
        IRuleApplier applier,
        Set<AuthorizationFlagsEnum> flags,
        Pointcut pointcut) {
      if ((operation == RestOperationTypeEnum.CREATE || operation == RestOperationTypeEnum.UPDATE)
          && "Patient".equals(request.getResourceName())
          && (input == null || input instanceof org.hl7.fhir.r4.model.Patient)) {
        return new AuthorizationInterceptor.Verdict(PolicyEnum.ALLOW, this);
      }
      return null;
    }

    @Override
    public String getName() {
      return "patients registered by their administrator";
    }
  }

  /**
   * Lets a nurse or clinician search by themselves, which HAPI's compartment rule refuses (a
   * Practitioner is none of their patients): the CareTeams they are in ({@code
   * CareTeam?participant=Practitioner/me}) and the video visits they hold ({@code
   * Appointment?practitioner=Practitioner/me}, their day's list, and {@code
   * Encounter?practitioner=Practitioner/me}, the visits they held). Decides only the search itself;
   * everything it returns is still checked against their patients, as any read is (the providers
   * return only those of patients they may see).
   */
  private record OwnSearches(String username) implements IAuthRule {

    /** The resources searched by a person's own reference, and the parameter that names it. */
    private static final java.util.Map<String, String> BY_SELF =
        java.util.Map.of(
            "CareTeam", "participant", "Appointment", "practitioner", "Encounter", "practitioner");

    @Override
    public AuthorizationInterceptor.Verdict applyRule(
        RestOperationTypeEnum operation,
        RequestDetails request,
        IBaseResource input,
        IIdType inputId,
        IBaseResource output,
        IRuleApplier applier,
        Set<AuthorizationFlagsEnum> flags,
        Pointcut pointcut) {
      // transactions and further pages name no resource type
      if (operation != RestOperationTypeEnum.SEARCH_TYPE
          || output != null
          || request.getResourceName() == null) {
        return null;
      }
      String parameter = BY_SELF.get(request.getResourceName());
      if (parameter == null) {
        return null;
      }
      String[] values = request.getParameters().get(parameter);
      if (values == null || values.length == 0) {
        return null;
      }
      for (String value : values) {
        for (String one : value.split(",")) {
          if (!Set.of(username, "Practitioner/" + username, "PractitionerRole/" + username)
              .contains(one)) {
            return null;
          }
        }
      }
      return new AuthorizationInterceptor.Verdict(PolicyEnum.ALLOW, this);
    }

    @Override
    public String getName() {
      return "the care teams they are in and the visits they hold";
    }
  }

  /**
   * Nurses and clinicians keep Subscriptions of their own, which hold no patient's data: the
   * provider shows each only to its owner, and a subscription delivers only what its owner may see
   * when it matches.
   */
  private static IAuthRuleBuilder subscriptions(IAuthRuleBuilder rules) {
    return rules
        .allow("their own subscriptions")
        .read()
        .resourcesOfType(Subscription.class)
        .withAnyId()
        .andThen()
        .allow("their own subscriptions")
        .create()
        .resourcesOfType(Subscription.class)
        .withAnyId()
        .andThen()
        .allow("their own subscriptions")
        .delete()
        .resourcesOfType(Subscription.class)
        .withAnyId()
        .andThen();
  }

  /**
   * Nurses and clinicians read the staff directory — who works where — which holds no patient's
   * data; patients do not (their care teams name the people looking after them). They read the
   * patient lists (Groups) of the wards they work on, which {@link GroupProvider} narrows to those
   * (a patient's search of Groups is outside their compartment; a read of their ward's, refused by
   * the provider: a ward's list is not one patient's data).
   */
  private static IAuthRuleBuilder directory(IAuthRuleBuilder rules) {
    return rules
        .allow("the staff directory")
        .read()
        .resourcesOfType(Practitioner.class)
        .withAnyId()
        .andThen()
        .allow("the staff directory")
        .read()
        .resourcesOfType(PractitionerRole.class)
        .withAnyId()
        .andThen()
        .allow("wards and beds")
        .read()
        .resourcesOfType(Location.class)
        .withAnyId()
        .andThen()
        .allow("the patient lists of their wards")
        .read()
        .resourcesOfType(Group.class)
        .withAnyId()
        .andThen();
  }
}
