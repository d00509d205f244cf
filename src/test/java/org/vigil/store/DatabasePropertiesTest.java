package org.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabasePropertiesTest {

  @Test
  void embedsH2UnderTheDataDirectoryByDefault() {
    assertThat(new DatabaseProperties("", "", "").jdbcUrl(Path.of("/tmp/ward")))
        .isEqualTo("jdbc:h2:file:/tmp/ward/db/vigil" + DatabaseProperties.H2_OPTIONS)
        .contains(";WRITE_DELAY=0", ";AUTO_SERVER=TRUE");
  }

  @Test
  void usesPostgresqlWithBatchedInsertsWhenGivenAUrl() {
    assertThat(
            new DatabaseProperties("jdbc:postgresql://db:5432/vigil", "", "")
                .jdbcUrl(Path.of("/x")))
        .isEqualTo("jdbc:postgresql://db:5432/vigil?reWriteBatchedInserts=true");
    assertThat(
            new DatabaseProperties("jdbc:postgresql://db/vigil?user=v", "", "")
                .jdbcUrl(Path.of("/x")))
        .isEqualTo("jdbc:postgresql://db/vigil?user=v&reWriteBatchedInserts=true");
  }

  @Test
  void neverPrintsThePassword() {
    assertThat(new DatabaseProperties("jdbc:postgresql://db/vigil", "vigil", "hunter2"))
        .asString()
        .doesNotContain("hunter2");
  }
}
