import assert from "node:assert/strict";
import { test } from "node:test";
import { md5Password, message, splitMessages, startupMessage } from "../src/postgres.js";

test("a message is its type, its length counting itself, and its body", () => {
  assert.deepEqual([...message("Q", Buffer.from("x\0"))], [0x51, 0, 0, 0, 6, 0x78, 0]);
});

test("the startup message carries protocol 3.0 and the user and database", () => {
  const startup = startupMessage("u", "d");
  assert.equal(startup.readInt32BE(0), startup.length);
  assert.equal(startup.readInt32BE(4), 196608);
  assert.equal(startup.subarray(8).toString(), "user\0u\0database\0d\0\0");
});

test("md5 authentication hashes password and user, then the salt", () => {
  // md5("secretpostgres") = 53f48b7c4b76a86ce72276c5755f217d, hashed again followed by the salt.
  const answer = md5Password("postgres", "secret", Buffer.from([1, 2, 3, 4]));
  assert.equal(answer, "md5bb41a296aab6baccb36ff243a562abff");
});

test("backend messages split at their lengths, keeping an incomplete tail", () => {
  const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);
  const { messages, rest } = splitMessages(Buffer.concat([ready, ready.subarray(0, 3)]));
  assert.equal(messages.length, 1);
  assert.equal(messages[0].type, "Z");
  assert.equal(messages[0].body.toString(), "I");
  assert.equal(rest.length, 3);
});
