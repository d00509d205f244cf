package org.vigil.security;

import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vigil.audit.ChangeAudit;

/**
 * Care teams: people looking after particular patients wherever they lie. A member who is a nurse
 * or clinician sees the team's patients. Every change is audited.
 */
@Service
public class CareTeams {

  /** A team, its members and its patients. */
  public record Team(String id, String name, List<String> members, List<String> patients) {}

  private final JdbcTemplate jdbc;
  private final ChangeAudit audit;

  CareTeams(JdbcTemplate jdbc, ChangeAudit audit) {
    this.jdbc = jdbc;
    this.audit = audit;
  }

  @Transactional
  public void create(String id, String name) {
    if (id == null || !id.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("a team id is 1 to 64 letters, digits, '.', '_' or '-'");
    }
    Long taken = jdbc.queryForObject("select count(*) from care_team where id = ?", Long.class, id);
    if (taken != null && taken > 0) {
      throw new IllegalArgumentException("team " + id + " already exists");
    }
    jdbc.update("insert into care_team (id, name) values (?, ?)", id, name == null ? id : name);
    audit.changed("account", "C", "create care team " + id, Set.of());
  }

  @Transactional
  public void addMember(String team, String username) {
    require(team);
    jdbc.update(
        "insert into care_team_member (team_id, username) values (?, ?) on conflict do nothing",
        team,
        username);
    audit.changed("account", "U", "add " + username + " to care team " + team, Set.of());
  }

  @Transactional
  public void addPatient(String team, String patientId) {
    require(team);
    jdbc.update(
        "insert into care_team_patient (team_id, patient_id) values (?, ?) on conflict do nothing",
        team,
        patientId);
    audit.changed("account", "U", "add a patient to care team " + team, Set.of(patientId));
  }

  @Transactional
  public void removePatient(String team, String patientId) {
    require(team);
    jdbc.update(
        "delete from care_team_patient where team_id = ? and patient_id = ?", team, patientId);
    audit.changed("account", "U", "remove a patient from care team " + team, Set.of(patientId));
  }

  /** The patients of every team the person belongs to. */
  public Set<String> patientsOf(String username) {
    return Set.copyOf(
        jdbc.queryForList(
            "select distinct p.patient_id from care_team_patient p"
                + " join care_team_member m on m.team_id = p.team_id where m.username = ?",
            String.class,
            username));
  }

  public List<Team> all() {
    return jdbc.query(
        "select id, name from care_team order by id",
        (rs, row) -> {
          String id = rs.getString("id");
          return new Team(
              id,
              rs.getString("name"),
              jdbc.queryForList(
                  "select username from care_team_member where team_id = ? order by username",
                  String.class,
                  id),
              jdbc.queryForList(
                  "select patient_id from care_team_patient where team_id = ? order by patient_id",
                  String.class,
                  id));
        });
  }

  private void require(String team) {
    Long found =
        jdbc.queryForObject("select count(*) from care_team where id = ?", Long.class, team);
    if (found == null || found == 0) {
      throw new IllegalArgumentException("no care team " + team);
    }
  }
}
