package org.vigil.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.context.ConfigurableApplicationContext;
import org.vigil.device.Device;
import org.vigil.device.DeviceCertificateAuthority;
import org.vigil.device.DeviceDetails;
import org.vigil.device.DeviceHealth;
import org.vigil.device.DeviceRegistration;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = "Register devices, assign them to patients, manage their credentials.",
    subcommands = {
      DevicesCommand.Register.class,
      DevicesCommand.ListDevices.class,
      DevicesCommand.Assign.class,
      DevicesCommand.Unassign.class,
      DevicesCommand.Rotate.class,
      DevicesCommand.Revoke.class,
      DevicesCommand.Cert.class,
      DevicesCommand.RevokeCert.class
    })
final class DevicesCommand extends CommandGroup {

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description = "Register a device and print its token (shown this once).")
  static final class Register extends AdminAction {
    @Parameters(index = "0", description = "The device id it uses on every transport.")
    String id;

    @Option(names = "--type", required = true, description = "e.g. bedside-monitor, bp-cuff.")
    String type;

    @Option(names = "--name", description = "What people call it.")
    String name;

    @Option(names = "--manufacturer")
    String manufacturer;

    @Option(names = "--model")
    String model;

    @Option(names = "--serial")
    String serial;

    @Option(names = "--udi", description = "Unique Device Identifier (human-readable form).")
    String udi;

    @Option(names = "--template", description = "Mapping template that reads its JSON.")
    String template;

    @Option(names = "--patient", description = "Assign it to this patient now.")
    String patient;

    @Override
    int run(ConfigurableApplicationContext context) {
      DeviceRegistry registry = context.getBean(DeviceRegistry.class);
      if (patient != null && context.getBean(PatientRepository.class).find(patient).isEmpty()) {
        throw new IllegalArgumentException("no patient " + patient);
      }
      var issued =
          registry.register(
              new DeviceRegistration(
                  id,
                  type,
                  name == null ? id : name,
                  new DeviceDetails(
                      Optional.ofNullable(manufacturer),
                      Optional.ofNullable(model),
                      Optional.ofNullable(serial),
                      Optional.ofNullable(udi),
                      Optional.empty(),
                      Optional.ofNullable(template))));
      if (patient != null) {
        registry.assign(id, patient);
      }
      System.out.println("Registered " + id + (patient == null ? "" : ", assigned to " + patient));
      System.out.println("Token (shown once; store it on the device): " + issued.token());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List devices.")
  static final class ListDevices extends AdminAction {
    @Override
    int run(ConfigurableApplicationContext context) {
      DeviceRegistry registry = context.getBean(DeviceRegistry.class);
      DeviceHealth health = context.getBean(DeviceHealth.class);
      System.out.printf(
          "%-24s %-20s %-14s %-8s %s%n", "DEVICE", "TYPE", "PATIENT", "ONLINE", "NAME");
      for (Device device : registry.all()) {
        System.out.printf(
            "%-24s %-20s %-14s %-8s %s%s%n",
            device.id(),
            device.type(),
            registry.currentPatient(device.id()).orElse("-"),
            health.status(device.id()).online() ? "yes" : "no",
            device.displayName(),
            device.isRevoked() ? " (revoked)" : "");
      }
      return 0;
    }
  }

  @Command(
      name = "assign",
      mixinStandardHelpOptions = true,
      description = "Assign a device to a patient: its readings from then on are the patient's.")
  static final class Assign extends AdminAction {
    @Parameters(index = "0")
    String id;

    @Parameters(index = "1")
    String patient;

    @Option(names = "--from", description = "Since when (ISO 8601), if not now.")
    String from;

    @Override
    int run(ConfigurableApplicationContext context) {
      if (context.getBean(PatientRepository.class).find(patient).isEmpty()) {
        throw new IllegalArgumentException("no patient " + patient);
      }
      DeviceRegistry registry = context.getBean(DeviceRegistry.class);
      if (from == null) {
        registry.assign(id, patient);
      } else {
        registry.assign(id, patient, Instant.parse(from));
      }
      System.out.println(id + " assigned to " + patient);
      return 0;
    }
  }

  @Command(name = "unassign", mixinStandardHelpOptions = true, description = "End an assignment.")
  static final class Unassign extends AdminAction {
    @Parameters(index = "0")
    String id;

    @Override
    int run(ConfigurableApplicationContext context) {
      context.getBean(DeviceRegistry.class).unassign(id);
      System.out.println(id + " serves no patient now");
      return 0;
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = "Issue a new token; the old one stops working.")
  static final class Rotate extends AdminAction {
    @Parameters(index = "0")
    String id;

    @Override
    int run(ConfigurableApplicationContext context) {
      var issued = context.getBean(DeviceRegistry.class).rotateToken(id);
      System.out.println("New token for " + id + " (shown once): " + issued.token());
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a device's token and certificates; it is refused from its next message or connect.")
  static final class Revoke extends AdminAction {
    @Parameters(index = "0")
    String id;

    @Override
    int run(ConfigurableApplicationContext context) {
      context.getBean(DeviceRegistry.class).revoke(id);
      System.out.println(id + " revoked");
      return 0;
    }
  }

  @Command(
      name = "cert",
      mixinStandardHelpOptions = true,
      description =
          "Issue a client certificate for MQTT over TLS: writes <id>.key, <id>.crt and ca.crt.")
  static final class Cert extends AdminAction {
    @Parameters(index = "0")
    String id;

    @Option(names = "--out", defaultValue = ".", description = "Directory to write to.")
    Path out;

    @Option(names = "--days", defaultValue = "365", description = "Validity in days.")
    int days;

    @Override
    int run(ConfigurableApplicationContext context) {
      if (context.getBean(DeviceRegistry.class).find(id).isEmpty()) {
        throw new IllegalArgumentException("no device " + id + "; register it first");
      }
      var issued =
          context.getBean(DeviceCertificateAuthority.class).issue(id, Duration.ofDays(days));
      try {
        for (Path file : DeviceCertificateAuthority.write(issued, out)) {
          System.out.println("wrote " + file);
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot write to " + out + ": " + e.getMessage(), e);
      }
      System.out.println(
          "certificate serial " + issued.serial() + ", valid until " + issued.notAfter());
      return 0;
    }
  }

  @Command(
      name = "revoke-cert",
      mixinStandardHelpOptions = true,
      description = "Revoke one certificate by serial; refused from the device's next connect.")
  static final class RevokeCert extends AdminAction {
    @Parameters(index = "0")
    String serial;

    @Override
    int run(ConfigurableApplicationContext context) {
      context.getBean(DeviceCertificateAuthority.class).revoke(serial);
      System.out.println("certificate " + serial + " revoked");
      return 0;
    }
  }
}
