package io.celerypgmq.bridge.doctor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Redis itself: its version, and whether it may evict Celery's keys. Queue lists and {@code _kombu.binding.*} sets have
 * no TTL, so only an {@code allkeys-*} policy with a memory limit can evict them, and an evicted binding makes kombu
 * drop publishes to that exchange without a word (kombu#1063).
 */
final class RedisServerCheck {
    private RedisServerCheck() {}

    static List<Finding> run(UnifiedJedis redis, String where) {
        List<Finding> out = new ArrayList<>();
        String info = text(redis.sendCommand(Protocol.Command.INFO, "server"));
        String version = field(info, "redis_version").orElse("unknown");
        out.add(Finding.info("redis", where, "Redis " + version + " reachable"));
        try {
            String policy = config(redis, "maxmemory-policy").orElse("unknown");
            long limit = config(redis, "maxmemory").map(Long::parseLong).orElse(0L);
            if (policy.startsWith("allkeys-") && limit > 0) {
                out.add(Finding.warning(
                        "redis",
                        where,
                        "maxmemory-policy is " + policy + " with maxmemory " + limit + " bytes: under memory pressure"
                                + " Redis may evict queued messages and _kombu.binding.* keys, and kombu then drops"
                                + " publishes to that exchange silently",
                        "CONFIG SET maxmemory-policy noeviction (or a volatile-* policy), and persist it in"
                                + " redis.conf"));
            } else {
                out.add(Finding.info("redis", where, "maxmemory-policy " + policy + ": Celery's keys are not evicted"));
            }
        } catch (JedisException | NumberFormatException e) {
            out.add(Finding.info(
                    "redis",
                    where,
                    "cannot read maxmemory-policy (" + e.getMessage() + "); make sure it is noeviction or"
                            + " volatile-*, or Celery's bindings may be evicted"));
        }
        return out;
    }

    private static Optional<String> config(UnifiedJedis redis, String name) {
        Object reply = redis.sendCommand(Protocol.Command.CONFIG, "GET", name);
        if (reply instanceof List<?> list && list.size() >= 2) {
            return Optional.of(text(list.get(1)));
        }
        return Optional.empty();
    }

    static Optional<String> field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Optional.of(line.substring(name.length() + 1).trim());
            }
        }
        return Optional.empty();
    }

    static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
