package org.vigil.log;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the in-process ingest log.
 *
 * @param partitions patient partitions; a patient's readings always go to the same partition
 * @param workers threads that drain partitions, each owning a fixed share of them. One suits the
 *     embedded database, which commits one transaction at a time anyway; PostgreSQL commits
 *     concurrently and stores a third more with two (docs/BENCHMARKS.md)
 * @param capacity device messages that may wait per worker before appends are refused (back
 *     pressure: the device is told to retry rather than the node running out of memory)
 * @param maxBatch device messages drained into one batch for the consumers
 * @param acknowledgeAfter the consumer group whose success makes readings durable (the store
 *     writer); other groups see readings only after it
 */
@Validated
@ConfigurationProperties("vigil.ingest-log")
public record IngestLogProperties(
    @Min(1) @DefaultValue("16") int partitions,
    @Min(1) @DefaultValue("1") int workers,
    @Min(1) @DefaultValue("20000") int capacity,
    @Min(1) @DefaultValue("2000") int maxBatch,
    @NotBlank @DefaultValue("store") String acknowledgeAfter) {}
