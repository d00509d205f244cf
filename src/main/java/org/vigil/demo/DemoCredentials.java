package org.vigil.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The demo's {@code demo-credentials.json}: where Vigil listens and who may use it. Holds secrets
 * in the clear by design — it is the demo's hand-out sheet — so it is written readable by its owner
 * only.
 */
record DemoCredentials(
    Map<String, String> urls, List<User> users, List<Client> clients, List<DeviceEntry> devices) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record User(String username, String password, String role, String patientId) {}

  record Client(String clientId, String clientSecret, List<String> scopes) {}

  record DeviceEntry(String deviceId, String token, String patientId, String type) {}
}
