package org.vigil.fhir.subscription;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Subscription;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.vigil.security.PatientAccess;
import org.vigil.security.ScopeAuthorization;

/**
 * FHIR R4 Subscriptions at {@code /fhir/Subscription}: create, read, update, search by status and
 * delete, each by its owner only — the person or system that made it; to anyone else another's
 * subscription does not exist. A subscription is checked when it is made (criteria Vigil can match,
 * a channel it can deliver on, a rest-hook endpoint the allow-list allows, read access to what it
 * subscribes to), and refused with 422 and an OperationOutcome naming the problem otherwise. It is
 * {@code requested} until a rest-hook's endpoint has answered an empty handshake POST (a
 * websocket's at once), then {@code active} — or {@code error}, with the reason, when the endpoint
 * does not answer or later deliveries keep failing.
 */
@Component
class SubscriptionProvider implements IResourceProvider {

  private final SubscriptionRepository repository;
  private final Notifier notifier;
  private final RestHook restHook;
  private final PatientAccess access;
  private final Clock clock = Clock.systemUTC();

  SubscriptionProvider(
      SubscriptionRepository repository,
      Notifier notifier,
      RestHook restHook,
      PatientAccess access) {
    this.repository = repository;
    this.notifier = notifier;
    this.restHook = restHook;
    this.access = access;
  }

  @Override
  public Class<Subscription> getResourceType() {
    return Subscription.class;
  }

  @Create
  public MethodOutcome create(@ResourceParam Subscription subscription) {
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    Owner owner = Owner.of(caller);
    if (subscription.hasStatus()
        && subscription.getStatus() != Subscription.SubscriptionStatus.REQUESTED
        && subscription.getStatus() != Subscription.SubscriptionStatus.ACTIVE) {
      throw unprocessable(
          "a new Subscription's status is requested (or active), not "
              + subscription.getStatus().toCode(),
          "Subscription.status");
    }
    String id = UUID.randomUUID().toString();
    subscription.setId(new IdType("Subscription", id));
    StoredSubscription checked = checked(subscription, caller, owner);
    repository.insert(owner, subscription);
    start(subscription, owner, checked);
    MethodOutcome outcome = new MethodOutcome(new IdType("Subscription", id), true);
    outcome.setResource(subscription);
    return outcome;
  }

  /**
   * Changes one of the caller's subscriptions: its criteria, channel or end, or its status — {@code
   * off} pauses it, {@code requested} (or {@code active}) starts it again, with a fresh handshake
   * for a rest-hook; so a subscription that went to {@code error} is put right by updating it.
   * Checked as a new one is.
   */
  @Update
  public MethodOutcome update(@IdParam IdType id, @ResourceParam Subscription subscription) {
    own(id);
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    Owner owner = Owner.of(caller);
    boolean off = subscription.getStatus() == Subscription.SubscriptionStatus.OFF;
    if (subscription.hasStatus()
        && !off
        && subscription.getStatus() != Subscription.SubscriptionStatus.REQUESTED
        && subscription.getStatus() != Subscription.SubscriptionStatus.ACTIVE) {
      throw unprocessable(
          "a Subscription is updated to requested (or active) to start it, or off to pause it;"
              + " not "
              + subscription.getStatus().toCode(),
          "Subscription.status");
    }
    subscription.setId(new IdType("Subscription", id.getIdPart()));
    StoredSubscription checked = checked(subscription, caller, owner);
    notifier.deactivate(id.getIdPart());
    if (off) {
      subscription.setStatus(Subscription.SubscriptionStatus.OFF);
      repository.update(subscription);
    } else {
      repository.update(subscription);
      start(subscription, owner, checked);
    }
    MethodOutcome outcome = new MethodOutcome(new IdType("Subscription", id.getIdPart()), false);
    outcome.setResource(subscription);
    return outcome;
  }

  /**
   * Checks a Subscription as written — its end, criteria, channel, endpoint, the caller's access to
   * what it delivers, its size — and makes it {@code requested}; 422 or 403 naming the problem.
   */
  private StoredSubscription checked(
      Subscription subscription, Authentication caller, Owner owner) {
    if (subscription.hasEnd() && !subscription.getEnd().toInstant().isAfter(clock.instant())) {
      throw unprocessable("end is in the past", "Subscription.end");
    }
    subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
    subscription.setError(null);
    subscription.getMeta().setLastUpdated(Date.from(clock.instant()));
    if (!subscription.hasReason()) {
      subscription.setReason("Vigil notifications");
    }
    StoredSubscription checked;
    try {
      checked = StoredSubscription.from(subscription, owner, "requested", "");
    } catch (StoredSubscription.InvalidSubscription e) {
      throw unprocessable(e.getMessage(), e.expression);
    }
    checked
        .endpoint()
        .flatMap(restHook::problemWith)
        .ifPresent(problem -> {
          throw unprocessable(problem, "Subscription.channel.endpoint");
        });
    Criteria criteria = checked.criteria();
    if (!ScopeAuthorization.grantsOnFhir(caller, criteria.resourceType(), 'r')) {
      throw new ForbiddenOperationException(
          "the access token has no scope allowing reads of "
              + criteria.resourceType()
              + ", which the subscription would deliver");
    }
    PatientAccess.Scope scope = access.of(caller);
    List<String> unseen =
        criteria.patients().stream().filter(p -> !scope.mayAccess(p)).sorted().toList();
    if (!unseen.isEmpty()) {
      throw new ForbiddenOperationException(
          "the criteria name patients you may not see: Patient/"
              + String.join(", Patient/", unseen));
    }
    if (repository.json(subscription).length() > SubscriptionRepository.MAX_RESOURCE) {
      throw unprocessable(
          "the Subscription is longer than " + SubscriptionRepository.MAX_RESOURCE + " characters",
          "Subscription");
    }
    return checked;
  }

  /** A rest-hook's handshake, then active (delivering) or error with the reason. */
  private void start(Subscription subscription, Owner owner, StoredSubscription checked) {
    Optional<String> handshake =
        checked.channel().equals(StoredSubscription.REST_HOOK)
            ? restHook.handshake(checked)
            : Optional.empty();
    if (handshake.isPresent()) {
      subscription.setStatus(Subscription.SubscriptionStatus.ERROR);
      subscription.setError("handshake failed: " + handshake.get());
    } else {
      subscription.setStatus(Subscription.SubscriptionStatus.ACTIVE);
    }
    repository.update(subscription);
    if (handshake.isEmpty()) {
      String json = repository.json(subscription);
      notifier.activate(StoredSubscription.from(subscription, owner, "active", json));
    }
  }

  @Read
  public Subscription read(@IdParam IdType id) {
    return own(id).resource();
  }

  /** The caller's own subscriptions, of one status or all. */
  @Search
  public List<Subscription> search(
      @OptionalParam(name = Subscription.SP_STATUS) TokenParam status) {
    Optional<String> wanted = Optional.ofNullable(status).map(TokenParam::getValue);
    if (wanted.isPresent()
        && !Set.of("requested", "active", "error", "off").contains(wanted.get())) {
      throw new InvalidRequestException(
          "status is requested, active, error or off, not " + wanted.get());
    }
    Owner owner = Owner.of(SecurityContextHolder.getContext().getAuthentication());
    return repository.ofOwner(owner, wanted).stream()
        .map(SubscriptionRepository.Row::resource)
        .toList();
  }

  @Delete
  public MethodOutcome delete(@IdParam IdType id) {
    own(id);
    repository.delete(id.getIdPart());
    notifier.deactivate(id.getIdPart());
    return new MethodOutcome(id);
  }

  private SubscriptionRepository.Row own(IdType id) {
    Owner caller = Owner.of(SecurityContextHolder.getContext().getAuthentication());
    return repository
        .find(id.getIdPart())
        .filter(row -> row.owner().equals(caller))
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  private static UnprocessableEntityException unprocessable(String problem, String expression) {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.INVALID)
        .setDiagnostics(problem)
        .addExpression(expression);
    return new UnprocessableEntityException(problem, outcome);
  }
}
