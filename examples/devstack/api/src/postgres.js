// A minimal PostgreSQL client: the simple query protocol over one connection per query, with trust,
// cleartext or md5 password authentication (what the example's database offers), so that the API
// needs no npm dependency and its image no psql. Values come back as text, as the protocol sends them.
import { createHash } from "node:crypto";
import { connect } from "node:net";

const PROTOCOL_VERSION_3 = 196608;

export class PostgresError extends Error {
  code = "POSTGRES_ERROR";
}

/** A frontend message: type byte, Int32 length (itself included), body. */
export function message(type, body = Buffer.alloc(0)) {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const cstring = (text) => Buffer.from(`${text}\0`, "utf8");

/** The startup message has no type byte: Int32 length, protocol version, then key/value pairs. */
export function startupMessage(user, database) {
  const body = Buffer.concat([
    cstring("user"),
    cstring(user),
    cstring("database"),
    cstring(database),
    cstring(""),
  ]);
  const header = Buffer.alloc(8);
  header.writeInt32BE(body.length + 8, 0);
  header.writeInt32BE(PROTOCOL_VERSION_3, 4);
  return Buffer.concat([header, body]);
}

const md5 = (data) => createHash("md5").update(data).digest("hex");

/** The md5 method's answer: "md5" + md5(md5(password + user) + salt). */
export function md5Password(user, password, salt) {
  return `md5${md5(Buffer.concat([Buffer.from(md5(password + user)), salt]))}`;
}

/** Splits complete backend messages off the front of `buffer`; returns them and the rest. */
export function splitMessages(buffer) {
  const messages = [];
  let at = 0;
  while (buffer.length - at >= 5) {
    const length = buffer.readInt32BE(at + 1);
    if (buffer.length - at < 1 + length) break;
    messages.push({ type: String.fromCharCode(buffer[at]), body: buffer.subarray(at + 5, at + 1 + length) });
    at += 1 + length;
  }
  return { messages, rest: buffer.subarray(at) };
}

/** RowDescription: Int16 count, then per field a name and 18 bytes of type information. */
function fieldNames(body) {
  const names = [];
  let at = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const end = body.indexOf(0, at);
    names.push(body.toString("utf8", at, end));
    at = end + 1 + 18;
  }
  return names;
}

/** DataRow: Int16 count, then per column Int32 length (-1 for NULL) and the bytes. */
function rowValues(body) {
  const values = [];
  let at = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const length = body.readInt32BE(at);
    at += 4;
    values.push(length < 0 ? null : body.toString("utf8", at, at + length));
    at += Math.max(length, 0);
  }
  return values;
}

/** ErrorResponse: typed fields; "M" is the message, "C" the SQLSTATE code. */
function errorFrom(body) {
  const fields = {};
  let at = 0;
  while (body[at] !== 0 && at < body.length) {
    const end = body.indexOf(0, at + 1);
    fields[String.fromCharCode(body[at])] = body.toString("utf8", at + 1, end);
    at = end + 1;
  }
  const error = new PostgresError(fields.M ?? "unknown error");
  error.sqlState = fields.C;
  return error;
}

/**
 * Runs `sql` (one or more statements, no parameters: callers pass constants) and resolves with the
 * rows of the last statement that returned rows, as objects of text values.
 */
export function pgQuery({ host, port = 5432, user, password = "", database, timeoutMs = 5000 }, sql) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let buffer = Buffer.alloc(0);
    let querySent = false;
    let failure;
    let names = [];
    let rows = [];
    const fail = (error) => {
      socket.destroy();
      reject(error);
    };
    const handle = ({ type, body }) => {
      switch (type) {
        case "R": {
          const method = body.readInt32BE(0);
          if (method === 3) socket.write(message("p", cstring(password)));
          else if (method === 5)
            socket.write(message("p", cstring(md5Password(user, password, body.subarray(4, 8)))));
          else if (method !== 0) fail(new PostgresError(`unsupported authentication method ${method}`));
          break;
        }
        case "E":
          failure = errorFrom(body);
          // Before the query, an error ends the connection: no ReadyForQuery will follow.
          if (!querySent) fail(failure);
          break;
        case "T":
          names = fieldNames(body);
          rows = [];
          break;
        case "D":
          rows.push(Object.fromEntries(rowValues(body).map((value, i) => [names[i], value])));
          break;
        case "Z":
          if (!querySent) {
            querySent = true;
            socket.write(message("Q", cstring(sql)));
          } else {
            socket.end(message("X"));
            if (failure) reject(failure);
            else resolve(rows);
          }
          break;
      }
    };
    socket.setTimeout(timeoutMs, () => fail(new PostgresError(`no answer from ${host}:${port}`)));
    socket.on("error", reject);
    socket.on("connect", () => socket.write(startupMessage(user, database)));
    socket.on("data", (chunk) => {
      const { messages, rest } = splitMessages(Buffer.concat([buffer, chunk]));
      buffer = rest;
      messages.forEach(handle);
    });
    socket.on("close", () => reject(new PostgresError(`connection to ${host}:${port} closed`)));
  });
}
