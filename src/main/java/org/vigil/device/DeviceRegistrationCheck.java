package org.vigil.device;

import java.util.Optional;

/**
 * A check another feature makes on a device registration before it is accepted — for example that
 * the mapping template it names is loaded. Named as an extension point so that the device feature
 * does not depend on the features that check it.
 */
@FunctionalInterface
public interface DeviceRegistrationCheck {

  /** A problem to report to the caller, or empty when the registration is fine. */
  Optional<String> check(DeviceRegistration registration);
}
