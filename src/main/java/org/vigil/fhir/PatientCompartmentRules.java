package org.vigil.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import org.hl7.fhir.instance.model.api.IIdType;
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
        .allow("a set of readings they enter, each entry checked as a create")
        .transaction()
        .withAnyOperation()
        .andApplyNormalRules()
        .andThen()
        .denyAll("outside their patients")
        .build();
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
   * data; patients do not (their care teams name the people looking after them).
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
        .andThen();
  }
}
