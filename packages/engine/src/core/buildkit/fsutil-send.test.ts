import { EventEmitter } from "node:events";
import { lstat, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Packet, type PacketStream, goFileMode, sendFolder } from "./fsutil-send.js";
import { PacketType } from "./protos.js";

/** The engine's side of DiffCopy, scripted: it sees what is written and answers with `receive`. */
class ScriptedReceiver extends EventEmitter implements PacketStream {
  readonly sent: Packet[] = [];
  ended = false;
  onPacket: (packet: Packet) => void = () => {};
  write(packet: Packet): boolean {
    this.sent.push(packet);
    queueMicrotask(() => this.onPacket(packet));
    return true;
  }
  end(): void {
    this.ended = true;
  }
  receive(packet: Packet): void {
    this.emit("data", packet);
  }
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "berth-fsutil-send-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("sendFolder", () => {
  it("announces every entry, sends only the files asked for in chunks, and answers FIN", async () => {
    await mkdir(join(root, "dir"));
    await writeFile(join(root, "dir", "big"), Buffer.alloc(70 * 1024, 7));
    await writeFile(join(root, "small"), "abc");
    const receiver = new ScriptedReceiver();
    const stats: Packet[] = [];
    receiver.onPacket = (p) => {
      if (p.type === PacketType.stat && p.stat) stats.push(p);
      // Like a receiver that kept `small` from the last transfer: it asks only for `dir/big` (id 1)...
      if (p.type === PacketType.stat && !p.stat) receiver.receive({ type: PacketType.req, ID: 1 });
      // ...and says FIN once that file has ended (an empty DATA).
      if (p.type === PacketType.data && !p.data) receiver.receive({ type: PacketType.fin });
    };
    const done = sendFolder(receiver, root, { excludes: [] });
    expect(await done).toEqual({ entries: 3, filesSent: 1, bytesSent: 70 * 1024 });

    expect(stats.map((p) => p.stat?.path)).toEqual(["dir", "dir/big", "small"]);
    const data = receiver.sent.filter((p) => p.type === PacketType.data);
    expect(data.map((p) => [p.ID, p.data?.length ?? 0])).toEqual([
      [1, 32 * 1024],
      [1, 32 * 1024],
      [1, 6 * 1024],
      [1, 0],
    ]);
    expect(receiver.sent.at(-1)).toEqual({ type: PacketType.fin });
    expect(receiver.ended).toBe(true);
  });

  it("fails when the engine asks for an id that is no file", async () => {
    await mkdir(join(root, "dir"));
    const receiver = new ScriptedReceiver();
    receiver.onPacket = (p) => {
      if (p.type === PacketType.stat && !p.stat) receiver.receive({ type: PacketType.req, ID: 0 });
    };
    await expect(sendFolder(receiver, root, { excludes: [] })).rejects.toThrow(/unknown file id 0/);
  });

  it("fails with the engine's message when it reports an error", async () => {
    const receiver = new ScriptedReceiver();
    receiver.onPacket = (p) => {
      if (p.type === PacketType.stat && !p.stat)
        receiver.receive({ type: PacketType.err, data: Buffer.from("disk full") });
    };
    await expect(sendFolder(receiver, root, { excludes: [] })).rejects.toThrow(/disk full/);
  });
});

describe("goFileMode", () => {
  it("carries Go's os.FileMode bits, not Unix S_IF bits", async () => {
    await mkdir(join(root, "d"), { mode: 0o750 });
    await writeFile(join(root, "f"), "", { mode: 0o640 });
    await symlink("f", join(root, "l"));
    expect(goFileMode(await lstat(join(root, "d"), { bigint: true }))).toBe(2 ** 31 + 0o750);
    expect(goFileMode(await lstat(join(root, "f"), { bigint: true }))).toBe(0o640);
    expect(goFileMode(await lstat(join(root, "l"), { bigint: true }))).toBe(2 ** 27 + 0o777);
  });
});
