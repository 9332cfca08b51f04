import type Docker from "dockerode";
import { lineSink } from "./demux.js";

/** A container's log (stdout and stderr) as lines, the last `tail` ones or all of them. */
export async function containerLogLines(container: Docker.Container, tail?: number): Promise<string[]> {
  const tty = (await container.inspect()).Config.Tty;
  const lines: string[] = [];
  const sink = lineSink(tty, (_stream, text) => lines.push(text));
  // The engine takes "all" as well as a number; the typings only know numbers.
  const raw = await container.logs({
    stdout: true,
    stderr: true,
    follow: false,
    tail: (tail ?? "all") as number,
  });
  sink.push(raw);
  sink.flush();
  return lines;
}
