package org.vigil.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where a node's data is: every command that reads or writes it takes these. */
final class StorageOptions {

  @Option(
      names = "--data-dir",
      defaultValue = "./vigil-data",
      description = "Database (embedded mode), keys and credentials (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--db-url",
      defaultValue = "",
      description =
          "JDBC URL of a PostgreSQL database, e.g. jdbc:postgresql://db:5432/vigil;"
              + " empty: embedded H2 under the data directory.")
  String dbUrl;

  @Option(names = "--db-user", defaultValue = "", description = "Database user.")
  String dbUser;

  @Option(
      names = "--db-password",
      defaultValue = "",
      description = "Database password (or set VIGIL_DB_PASSWORD).")
  String dbPassword;

  List<String> springArguments() {
    List<String> args = new ArrayList<>();
    args.add("--vigil.data-dir=" + dataDir.toAbsolutePath().normalize());
    if (!dbUrl.isBlank()) {
      args.add("--vigil.db.url=" + dbUrl);
    }
    if (!dbUser.isBlank()) {
      args.add("--vigil.db.user=" + dbUser);
    }
    String password = dbPassword.isBlank() ? System.getenv("VIGIL_DB_PASSWORD") : dbPassword;
    if (password != null && !password.isBlank()) {
      args.add("--vigil.db.password=" + password);
    }
    return args;
  }
}
