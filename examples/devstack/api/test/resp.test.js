import assert from "node:assert/strict";
import { test } from "node:test";
import { RedisError, encodeCommand, parseReply } from "resp-client";

test("a command is an array of bulk strings, lengths in bytes", () => {
  assert.equal(encodeCommand(["SET", "k", "é"]), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n");
});

test("replies of every type parse, with the offset of what follows", () => {
  const buffer = Buffer.from("+OK\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*2\r\n$1\r\na\r\n-ERR bad\r\n");
  const ok = parseReply(buffer);
  assert.deepEqual(ok, { value: "OK", next: 5 });
  const number = parseReply(buffer, ok.next);
  assert.equal(number.value, 42);
  const bulk = parseReply(buffer, number.next);
  assert.equal(bulk.value, "hello");
  const nil = parseReply(buffer, bulk.next);
  assert.equal(nil.value, null);
  const array = parseReply(buffer, nil.next);
  assert.equal(array.value[0], "a");
  assert.ok(array.value[1] instanceof RedisError);
  assert.equal(array.value[1].message, "ERR bad");
  assert.equal(array.next, buffer.length);
});

test("an incomplete reply waits for more data", () => {
  assert.equal(parseReply(Buffer.from("$5\r\nhel")), undefined);
  assert.equal(parseReply(Buffer.from("*2\r\n$1\r\na\r\n")), undefined);
  assert.equal(parseReply(Buffer.from("+OK")), undefined);
});
