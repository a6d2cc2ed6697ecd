package io.tombscope.benchmarks;

/** Command-line argument checks shared by the measuring programs of this module. */
public final class Arguments {
  private Arguments() {}

  /**
   * {@code text} as a positive int.
   *
   * @throws IllegalArgumentException naming {@code name} and the text if it is not one
   */
  public static int positiveInt(String text, String name) {
    try {
      int n = Integer.parseInt(text.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with the argument's name
    }
    throw new IllegalArgumentException(name + " '" + text + "' is not a positive integer");
  }
}
