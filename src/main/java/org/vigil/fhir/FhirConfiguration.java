package org.vigil.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditTrail;
import org.vigil.fhir.subscription.SubscriptionCapabilities;
import org.vigil.security.PatientAccess;
import org.vigil.store.MeasurementStore;

/** HAPI FHIR's plain REST server, at {@code /fhir}, over Vigil's own stores. */
@Configuration(proxyBeanMethods = false)
class FhirConfiguration {

  @Bean
  FhirContext fhirContext() {
    FhirContext fhir = FhirContext.forR4();
    // Vigil's resources refer to each other by id and never hold reference targets to contain;
    // skipping HAPI's search for them saves a walk over every element of every resource encoded.
    fhir.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
    return fhir;
  }

  @Bean
  FilterRegistrationBean<WholeResponseWrites> fhirResponseBuffering() {
    FilterRegistrationBean<WholeResponseWrites> registration =
        new FilterRegistrationBean<>(new WholeResponseWrites());
    registration.addUrlPatterns("/fhir/*");
    registration.setName("fhirResponseBuffering");
    return registration;
  }

  @Bean
  ServletRegistrationBean<RestfulServer> fhirServlet(
      FhirContext fhir,
      List<IResourceProvider> providers,
      AuditTrail audit,
      AuditAgents agents,
      PatientAccess access,
      MeasurementStore store,
      ObservationMapper mapper,
      BulkExportProvider bulkExport,
      TransactionProvider transactions,
      ObservationIncludes includes,
      PatientEverything everything,
      SubscriptionCapabilities subscriptions) {
    RestfulServer server = new RestfulServer(fhir);
    server.setServerName("Vigil");
    server.setImplementationDescription("Vigil FHIR R4 API");
    server.setResourceProviders(providers);
    server.registerProvider(bulkExport);
    server.registerProvider(transactions);
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    server.setPagingProvider(new ObservationPaging(store, mapper, includes, everything));
    server.registerInterceptor(new InternalErrorShield());
    server.registerInterceptor(new SystemInteractions());
    server.registerInterceptor(new PatientCapabilities());
    server.registerInterceptor(new PatientValueProblems(fhir));
    server.registerInterceptor(subscriptions);
    server.registerInterceptor(new ScopeInterceptor());
    server.registerInterceptor(new PatientCompartmentRules(access));
    server.registerInterceptor(new AuditInterceptor(audit, agents));
    server.registerInterceptor(new SinceParameter());
    ServletRegistrationBean<RestfulServer> registration =
        new ServletRegistrationBean<>(server, "/fhir/*");
    registration.setName("fhir");
    registration.setLoadOnStartup(1);
    return registration;
  }
}
