// A minimal Redis client speaking RESP (the Redis serialization protocol), so that the API needs
// no npm dependency and its image no redis-cli: one connection per command keeps it simple and
// survives a restart of the cache without reconnection logic.
import { connect } from "node:net";

export class RedisError extends Error {
  code = "REDIS_ERROR";
}

/** A command as RESP: an array of bulk strings. */
export function encodeCommand(args) {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const text = String(arg);
    out += `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
  }
  return out;
}

/**
 * Parses one reply starting at `at`. Returns { value, next } or undefined while the reply is not
 * complete yet. Error replies become RedisError values, so an error inside an array is kept too.
 */
export function parseReply(buffer, at = 0) {
  const end = buffer.indexOf("\r\n", at);
  if (end < 0) return undefined;
  const type = String.fromCharCode(buffer[at]);
  const line = buffer.toString("utf8", at + 1, end);
  const next = end + 2;
  switch (type) {
    case "+":
      return { value: line, next };
    case "-":
      return { value: new RedisError(line), next };
    case ":":
      return { value: Number(line), next };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null, next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString("utf8", next, next + length), next: next + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, next };
      const items = [];
      let position = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, position);
        if (item === undefined) return undefined;
        items.push(item.value);
        position = item.next;
      }
      return { value: items, next: position };
    }
    default:
      throw new RedisError(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

/** Sends one command and resolves with its reply; an error reply rejects. */
export function redisCommand({ host, port = 6379, timeoutMs = 5000 }, ...args) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let buffer = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () => socket.destroy(new RedisError(`no answer from ${host}:${port}`)));
    socket.on("error", reject);
    socket.on("connect", () => socket.write(encodeCommand(args)));
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const reply = parseReply(buffer);
      if (reply === undefined) return;
      socket.end();
      if (reply.value instanceof RedisError) reject(reply.value);
      else resolve(reply.value);
    });
    socket.on("close", () => reject(new RedisError(`connection to ${host}:${port} closed`)));
  });
}
