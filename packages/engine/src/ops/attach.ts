import { Demuxer, LineSplitter, type StreamName } from "./demux.js";

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

/** The size of the terminal `out` writes to, when it is one, for sizing a container's TTY alike. */
export function terminalSize(out: NodeJS.WritableStream | undefined): { h: number; w: number } | undefined {
  const tty = out as { isTTY?: boolean; rows?: number; columns?: number } | undefined;
  return tty?.isTTY && tty.rows && tty.columns ? { h: tty.rows, w: tty.columns } : undefined;
}
