package io.celerypgmq.benchmarks.jmh;

/**
 * One JMH result: operations per second (with JMH's 99.9 % error) and, where one operation handles several messages,
 * the messages per second it comes to.
 */
public record JmhFigure(String benchmark, double opsPerSecond, double error, double messagesPerSecond) {}
