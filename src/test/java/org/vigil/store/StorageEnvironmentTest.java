package org.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class StorageEnvironmentTest {

  private static String derivedUrl(Map<String, Object> properties) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    new StorageEnvironment().postProcessEnvironment(environment, new SpringApplication());
    return environment.getProperty("spring.datasource.url");
  }

  @Test
  void embedsH2UnderTheDataDirectoryByDefault() {
    assertThat(derivedUrl(Map.of("vigil.data-dir", "/tmp/ward")))
        .isEqualTo("jdbc:h2:file:/tmp/ward/db/vigil" + StorageEnvironment.H2_OPTIONS);
    assertThat(StorageEnvironment.h2Url(Path.of("/x"))).contains(";WRITE_DELAY=0");
  }

  @Test
  void usesPostgresqlWithBatchedInsertsWhenGivenAUrl() {
    assertThat(derivedUrl(Map.of("vigil.db-url", "jdbc:postgresql://db:5432/vigil")))
        .isEqualTo("jdbc:postgresql://db:5432/vigil?reWriteBatchedInserts=true");
    assertThat(derivedUrl(Map.of("vigil.db-url", "jdbc:postgresql://db/vigil?user=v")))
        .isEqualTo("jdbc:postgresql://db/vigil?user=v&reWriteBatchedInserts=true");
  }

  @Test
  void leavesAnExplicitSpringDataSourceAlone() {
    assertThat(derivedUrl(Map.of("spring.datasource.url", "jdbc:h2:mem:x", "vigil.db-url", "y")))
        .isEqualTo("jdbc:h2:mem:x");
  }
}
