package io.celerypgmq.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** A Lua script from the replay jar, loaded once and run by SHA (loaded again if Redis forgot it). */
final class ReplayScript {
    static final ReplayScript TAKE_LISTED = load("take_listed.lua");
    static final ReplayScript TAKE_UNACKED = load("take_unacked.lua");
    static final ReplayScript RESTORE_UNACKED = load("restore_unacked.lua");

    private final String name;
    private final byte[] source;
    private volatile byte[] sha;

    private ReplayScript(String name, byte[] source) {
        this.name = name;
        this.source = source;
    }

    private static ReplayScript load(String name) {
        try (InputStream in = ReplayScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + name + " missing from the replay jar");
            }
            return new ReplayScript(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Object run(UnifiedJedis redis, List<byte[]> keys, List<byte[]> args) {
        byte[] current = sha;
        if (current == null) {
            current = redis.scriptLoad(source, keys.get(0));
            sha = current;
        }
        try {
            return redis.evalsha(current, keys, args);
        } catch (JedisNoScriptException e) {
            sha = redis.scriptLoad(source, keys.get(0));
            return redis.evalsha(sha, keys, args);
        }
    }

    @Override
    public String toString() {
        return "ReplayScript[" + name + "]";
    }
}
