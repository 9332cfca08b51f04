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
