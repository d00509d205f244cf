package org.vigil.normalize.hl7;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A message Vigil cannot process at all — unparseable, not an ORU^R01, an unsupported version:
 * answered with an acknowledgement of MSA-1 AR (application reject).
 */
public final class Pcd01Rejected extends RuntimeException {

  private final transient List<Hl7Problem> problems;

  public Pcd01Rejected(List<Hl7Problem> problems) {
    super(problems.stream().map(Hl7Problem::describe).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public Pcd01Rejected(Hl7Problem problem) {
    this(List.of(problem));
  }

  public List<Hl7Problem> problems() {
    return problems;
  }
}
