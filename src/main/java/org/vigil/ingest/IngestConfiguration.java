package org.vigil.ingest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementIds;
import org.vigil.normalize.NativeMessageCodec;
import org.vigil.normalize.Normalizer;
import org.vigil.normalize.gatt.GattCodec;

@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

  @Bean
  MeasurementCatalog measurementCatalog() {
    return MeasurementCatalog.standard();
  }

  @Bean
  NativeMessageCodec nativeMessageCodec(IngestProperties limits) {
    return new NativeMessageCodec(limits.maxReadingsPerMessage());
  }

  @Bean
  GattCodec gattCodec(IngestProperties limits) {
    return new GattCodec(limits.deviceClockZone());
  }

  @Bean
  Normalizer normalizer(MeasurementCatalog catalog, MeasurementIds ids, IngestProperties limits) {
    return new Normalizer(catalog, ids, limits.maxFutureSkew());
  }
}
