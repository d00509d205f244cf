package org.vigil.ingest;

import java.util.Locale;
import java.util.regex.Pattern;

/** What kind of content a device message carries, which decides how it is read. */
public sealed interface DeviceContent {

  /** A short, stable name for logs, metrics and dead letters: {@code json}, {@code gatt/2A37}. */
  String describe();

  /**
   * Readings as JSON ({@code devices/{id}/messages}, {@code POST /api/v1/ingest/{id}}): Vigil's
   * native format, or the format of the mapping template chosen for the device.
   */
  record Json() implements DeviceContent {
    @Override
    public String describe() {
      return "json";
    }
  }

  /**
   * The raw value of a Bluetooth GATT characteristic, forwarded by a phone or hub gateway.
   *
   * @param characteristic the 16-bit UUID as four upper-case hex digits, e.g. {@code 2A37}
   */
  record Gatt(String characteristic) implements DeviceContent {
    private static final Pattern UUID16 = Pattern.compile("(?:0[xX])?[0-9A-Fa-f]{4}");

    public Gatt {
      if (characteristic == null || !UUID16.matcher(characteristic).matches()) {
        throw new IllegalArgumentException(
            "a GATT characteristic is a 16-bit UUID in hex, e.g. 2A37, was '"
                + characteristic
                + "'");
      }
      characteristic =
          characteristic.substring(characteristic.length() - 4).toUpperCase(Locale.ROOT);
    }

    public static boolean isValid(String characteristic) {
      return characteristic != null && UUID16.matcher(characteristic).matches();
    }

    @Override
    public String describe() {
      return "gatt/" + characteristic;
    }
  }

  DeviceContent JSON = new Json();
}
