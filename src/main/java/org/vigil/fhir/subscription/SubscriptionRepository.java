package org.vigil.fhir.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Subscription;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code fhir_subscription} table, on H2 and PostgreSQL alike. */
@Repository
class SubscriptionRepository {

  /** The longest Subscription kept, as JSON. */
  static final int MAX_RESOURCE = 16_000;

  private final JdbcTemplate jdbc;
  private final FhirContext fhir;
  private final Clock clock = Clock.systemUTC();

  SubscriptionRepository(JdbcTemplate jdbc, FhirContext fhir) {
    this.jdbc = jdbc;
    this.fhir = fhir;
  }

  /** The resource as JSON, as it is kept. */
  String json(Subscription resource) {
    return parser().encodeResourceToString(resource);
  }

  void insert(Owner owner, Subscription resource) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    jdbc.update(
        "insert into fhir_subscription"
            + " (id, owner_type, owner_id, status, resource, created_at, updated_at)"
            + " values (?, ?, ?, ?, ?, ?, ?)",
        resource.getIdElement().getIdPart(),
        owner.type(),
        owner.id(),
        resource.getStatus().toCode(),
        json(resource),
        now,
        now);
  }

  /** Writes the resource with a new status (and error, when it has one). */
  void update(Subscription resource) {
    jdbc.update(
        "update fhir_subscription set status = ?, resource = ?, updated_at = ? where id = ?",
        resource.getStatus().toCode(),
        json(resource),
        OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC),
        resource.getIdElement().getIdPart());
  }

  boolean delete(String id) {
    return jdbc.update("delete from fhir_subscription where id = ?", id) > 0;
  }

  Optional<Row> find(String id) {
    return jdbc
        .query(
            "select owner_type, owner_id, resource from fhir_subscription where id = ?",
            (rs, n) -> row(rs.getString(1), rs.getString(2), rs.getString(3)),
            id)
        .stream()
        .findFirst();
  }

  /** An owner's subscriptions, of one status or all, oldest first. */
  List<Row> ofOwner(Owner owner, Optional<String> status) {
    String sql =
        "select owner_type, owner_id, resource from fhir_subscription"
            + " where owner_type = ? and owner_id = ?"
            + (status.isPresent() ? " and status = ?" : "")
            + " order by created_at, id";
    Object[] args =
        status.isPresent()
            ? new Object[] {owner.type(), owner.id(), status.get()}
            : new Object[] {owner.type(), owner.id()};
    return jdbc.query(sql, (rs, n) -> row(rs.getString(1), rs.getString(2), rs.getString(3)), args);
  }

  /** Every subscription that may deliver: active ones. */
  List<Row> active() {
    return jdbc.query(
        "select owner_type, owner_id, resource from fhir_subscription where status = 'active'",
        (rs, n) -> row(rs.getString(1), rs.getString(2), rs.getString(3)));
  }

  /** A stored subscription: its owner and the resource. */
  record Row(Owner owner, Subscription resource, String json) {}

  private Row row(String ownerType, String ownerId, String json) {
    return new Row(
        new Owner(ownerType, ownerId), parser().parseResource(Subscription.class, json), json);
  }

  private IParser parser() {
    return fhir.newJsonParser();
  }
}
