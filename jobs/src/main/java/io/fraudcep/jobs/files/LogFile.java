package io.fraudcep.jobs.files;

import java.io.Serializable;

/**
 * One JSONL file of a log on disk and the topic it stands for.
 *
 * @param topic the input topic whose records the file holds (used in dead letters)
 * @param path the file's path
 */
public record LogFile(String topic, String path) implements Serializable {}
