package io.celerypgmq.bridge.move;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** A Lua script from a jar's resources, loaded once and run by SHA (reloaded if Redis forgot it). */
public final class LuaScript {
    private final String name;
    private final byte[] source;
    private volatile byte[] sha;

    private LuaScript(String name, byte[] source) {
        this.name = name;
        this.source = source;
    }

    /** The engine's own scripts, by absolute resource path. */
    static LuaScript load(String resource) {
        return load(LuaScript.class, resource);
    }

    /** A script beside {@code owner} (a relative name) or at an absolute resource path, read from owner's jar. */
    public static LuaScript load(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + resource + " missing beside " + owner.getName());
            }
            return new LuaScript(resource, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Object run(UnifiedJedis redis, List<byte[]> keys, List<byte[]> args) {
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
        return "LuaScript[" + name + ", " + new String(source, 0, Math.min(20, source.length), StandardCharsets.UTF_8)
                + "...]";
    }
}
