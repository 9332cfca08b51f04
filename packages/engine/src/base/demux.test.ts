import { describe, expect, it } from "vitest";
import { Demuxer, LineSplitter, type StreamName } from "./demux.js";

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe("Demuxer", () => {
  it("separates stdout and stderr frames, whole or split across chunks", () => {
    const frames: [StreamName, string][] = [];
    const demux = new Demuxer((stream, payload) => frames.push([stream, payload.toString()]));
    const all = Buffer.concat([frame(1, "out one\n"), frame(2, "err\n"), frame(1, "out two\n")]);
    demux.push(all.subarray(0, 5));
    demux.push(all.subarray(5, 20));
    demux.push(all.subarray(20));
    expect(frames).toEqual([
      ["stdout", "out one\n"],
      ["stderr", "err\n"],
      ["stdout", "out two\n"],
    ]);
  });
});

describe("LineSplitter", () => {
  it("splits lines across chunks, drops CR and flushes the rest", () => {
    const lines: string[] = [];
    const split = new LineSplitter((l) => lines.push(l));
    split.push(Buffer.from("a\r\nb"));
    split.push(Buffer.from("c\n\nd"));
    expect(lines).toEqual(["a", "bc", ""]);
    split.end();
    expect(lines).toEqual(["a", "bc", "", "d"]);
  });

  it("keeps multi-byte characters split between chunks", () => {
    const lines: string[] = [];
    const split = new LineSplitter((l) => lines.push(l));
    const bytes = Buffer.from("héllo\n");
    split.push(bytes.subarray(0, 2));
    split.push(bytes.subarray(2));
    expect(lines).toEqual(["héllo"]);
  });
});
