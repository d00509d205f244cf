package org.vigil.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Moves every sealed field to the key that encrypts now, so that after a rotation nothing depends
 * on the older keys any more. Walks each kind of record in pages (never all of them in memory) and
 * may run while a node serves: a record the node writes meanwhile is already under the new key (the
 * node's cipher reads the rotated keyset), and one it rewrites while this walks is left as written.
 */
@Service
public class FieldReencryption {

  /** Records read and written per database round trip. */
  public static final int BATCH = 500;

  private final List<SealedRecords> records;

  public FieldReencryption(List<SealedRecords> records) {
    // in a stable order, so that a report reads the same every time
    this.records =
        records.stream().sorted(java.util.Comparator.comparing(SealedRecords::kind)).toList();
  }

  /** What one run did, by kind of record. */
  public record Report(List<Count> counts) {
    public Report {
      counts = List.copyOf(counts);
    }

    public long rewritten() {
      return counts.stream().mapToLong(Count::rewritten).sum();
    }
  }

  /** How many records of one kind were read and how many of them written again. */
  public record Count(String kind, long read, long rewritten) {}

  public Report run(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("a batch is at least one record, was " + batchSize);
    }
    List<Count> counts = new ArrayList<>();
    for (SealedRecords kind : records) {
      long read = 0;
      long rewritten = 0;
      Optional<String> after = Optional.empty();
      while (true) {
        SealedRecords.Batch batch = kind.reencrypt(after, batchSize);
        read += batch.read();
        rewritten += batch.rewritten();
        if (batch.last().isEmpty() || batch.read() < batchSize) {
          break;
        }
        after = batch.last();
      }
      counts.add(new Count(kind.kind(), read, rewritten));
    }
    return new Report(counts);
  }
}
