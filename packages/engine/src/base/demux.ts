/**
 * Docker's multiplexed attach/log format for containers without a TTY: each frame is an 8-byte header
 * (byte 0: 0 stdin, 1 stdout, 2 stderr; bytes 4-7: big-endian payload length) followed by the payload.
 * Frames may arrive split over chunks, or several in one chunk.
 */
export type StreamName = "stdout" | "stderr";

export class Demuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: StreamName, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + length) return;
      const type = this.pending[0];
      const payload = this.pending.subarray(8, 8 + length);
      this.pending = this.pending.subarray(8 + length);
      this.onFrame(type === 2 ? "stderr" : "stdout", payload);
    }
  }
}

/** Splits a byte stream into lines (without `\n` or `\r\n`); `end` gives the unterminated rest. */
export class LineSplitter {
  private rest = "";
  private readonly decoder = new TextDecoder();

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    const lines = (this.rest + this.decoder.decode(chunk, { stream: true })).split("\n");
    this.rest = lines.pop() ?? "";
    for (const line of lines) this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  }

  end(): void {
    const last = this.rest + this.decoder.decode();
    this.rest = "";
    if (last !== "") this.onLine(last);
  }
}

/**
 * Feeds the raw bytes of a container's output stream to per-stream callbacks: demultiplexed when the
 * container has no TTY, all stdout when it has one (the engine then sends the bytes as they are).
 */
export function outputSink(
  tty: boolean,
  onData: (stream: StreamName, data: Buffer) => void,
): (chunk: Buffer) => void {
  if (tty) return (chunk) => onData("stdout", chunk);
  const demux = new Demuxer(onData);
  return (chunk) => demux.push(chunk);
}

/** Per-stream line splitting on top of `outputSink`; `flush` emits unterminated last lines. */
export function lineSink(
  tty: boolean,
  onLine: (stream: StreamName, text: string) => void,
): { push: (chunk: Buffer) => void; flush: () => void } {
  const splitters = {
    stdout: new LineSplitter((text) => onLine("stdout", text)),
    stderr: new LineSplitter((text) => onLine("stderr", text)),
  };
  return {
    push: outputSink(tty, (stream, data) => splitters[stream].push(data)),
    flush: () => {
      splitters.stdout.end();
      splitters.stderr.end();
    },
  };
}
