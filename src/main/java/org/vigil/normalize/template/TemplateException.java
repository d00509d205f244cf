package org.vigil.normalize.template;

import java.util.List;

/**
 * A mapping template that cannot be used, with every problem found, each pointing at the field that
 * is wrong ({@code values[1].path: invalid JSONPath '$.hr[': …}).
 */
public final class TemplateException extends RuntimeException {

  private final transient List<String> problems;

  public TemplateException(String template, List<String> problems) {
    super("template " + template + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
