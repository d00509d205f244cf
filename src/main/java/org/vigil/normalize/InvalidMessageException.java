package org.vigil.normalize;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A device message that cannot be turned into readings. Not retriable: the same bytes will fail the
 * same way. Carries every problem found, not just the first, so one round trip tells the sender all
 * that must change.
 */
public final class InvalidMessageException extends RuntimeException {

  private final transient List<MessageProblem> problems;

  public InvalidMessageException(List<MessageProblem> problems) {
    super(summary(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid message has at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public InvalidMessageException(MessageProblem problem) {
    this(List.of(problem));
  }

  public List<MessageProblem> problems() {
    return problems;
  }

  private static String summary(List<MessageProblem> problems) {
    return problems.stream().map(MessageProblem::describe).collect(Collectors.joining("; "));
  }
}
