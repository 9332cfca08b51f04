/**
 * Decodes the `moby.buildkit.trace` messages of a BuildKit build (base64 protobuf `StatusResponse` of
 * moby/buildkit's control API, `proto/buildkit_status.proto` in dockerode). Only the fields progress
 * needs are read; the wire format is decoded here because protobufjs would load its schema from a
 * `.proto` file at run time, which the CLI's one-file bundle does not carry.
 */

export interface TraceVertex {
  digest: string;
  name: string;
  cached: boolean;
  /** Milliseconds since the epoch. */
  started?: number;
  completed?: number;
  error?: string;
}

export interface TraceLog {
  vertex: string;
  /** 1 stdout, 2 stderr. */
  stream: number;
  msg: Buffer;
}

export interface TraceStatus {
  vertex: string;
  id: string;
  current: number;
  total: number;
}

export interface TraceWarning {
  vertex: string;
  short: string;
}

export interface Trace {
  vertexes: TraceVertex[];
  statuses: TraceStatus[];
  logs: TraceLog[];
  warnings: TraceWarning[];
}

/** A field of a protobuf message: its number and either a varint or the bytes of a length-delimited value. */
interface Field {
  no: number;
  varint?: number;
  bytes?: Buffer;
}

function* fields(buf: Buffer): Generator<Field> {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) throw new Error("truncated BuildKit trace message");
      const byte = buf[pos++];
      // Multiplication, not <<: int64 values (sizes, seconds) exceed 32 bits.
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    switch (key & 7) {
      case 0:
        yield { no, varint: varint() };
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const len = varint();
        yield { no, bytes: buf.subarray(pos, pos + len) };
        pos += len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new Error(`unsupported protobuf wire type ${key & 7} in a BuildKit trace message`);
    }
  }
}

function timestamp(buf: Buffer): number {
  let seconds = 0;
  let nanos = 0;
  for (const f of fields(buf)) {
    if (f.no === 1) seconds = f.varint ?? 0;
    else if (f.no === 2) nanos = f.varint ?? 0;
  }
  return seconds * 1000 + Math.floor(nanos / 1e6);
}

function vertex(buf: Buffer): TraceVertex {
  const v: TraceVertex = { digest: "", name: "", cached: false };
  for (const f of fields(buf)) {
    if (f.no === 1 && f.bytes) v.digest = f.bytes.toString("utf8");
    else if (f.no === 3 && f.bytes) v.name = f.bytes.toString("utf8");
    else if (f.no === 4) v.cached = f.varint === 1;
    else if (f.no === 5 && f.bytes) v.started = timestamp(f.bytes);
    else if (f.no === 6 && f.bytes) v.completed = timestamp(f.bytes);
    else if (f.no === 7 && f.bytes) v.error = f.bytes.toString("utf8");
  }
  return v;
}

function status(buf: Buffer): TraceStatus {
  const s: TraceStatus = { vertex: "", id: "", current: 0, total: 0 };
  for (const f of fields(buf)) {
    if (f.no === 1 && f.bytes) s.id = f.bytes.toString("utf8");
    else if (f.no === 2 && f.bytes) s.vertex = f.bytes.toString("utf8");
    else if (f.no === 4) s.current = f.varint ?? 0;
    else if (f.no === 5) s.total = f.varint ?? 0;
  }
  return s;
}

function log(buf: Buffer): TraceLog {
  const l: TraceLog = { vertex: "", stream: 1, msg: Buffer.alloc(0) };
  for (const f of fields(buf)) {
    if (f.no === 1 && f.bytes) l.vertex = f.bytes.toString("utf8");
    else if (f.no === 3) l.stream = f.varint ?? 1;
    else if (f.no === 4 && f.bytes) l.msg = f.bytes;
  }
  return l;
}

function warning(buf: Buffer): TraceWarning {
  const w: TraceWarning = { vertex: "", short: "" };
  for (const f of fields(buf)) {
    if (f.no === 1 && f.bytes) w.vertex = f.bytes.toString("utf8");
    else if (f.no === 3 && f.bytes) w.short = f.bytes.toString("utf8");
  }
  return w;
}

/** Decodes the `aux` of one `moby.buildkit.trace` message. */
export function decodeTrace(base64: string): Trace {
  const trace: Trace = { vertexes: [], statuses: [], logs: [], warnings: [] };
  for (const f of fields(Buffer.from(base64, "base64"))) {
    if (!f.bytes) continue;
    if (f.no === 1) trace.vertexes.push(vertex(f.bytes));
    else if (f.no === 2) trace.statuses.push(status(f.bytes));
    else if (f.no === 3) trace.logs.push(log(f.bytes));
    else if (f.no === 4) trace.warnings.push(warning(f.bytes));
  }
  return trace;
}
