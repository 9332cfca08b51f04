import { type EventEmitter, once } from "node:events";
import { type BigIntStats, createReadStream } from "node:fs";
import { type WalkEntry, type WalkFilter, walkFolder } from "./fs-walk.js";
import { PacketType } from "./protos.js";

/**
 * The sending side of tonistiigi/fsutil's DiffCopy protocol: a STAT packet for every entry of the folder
 * (then an empty one), the content of each file the receiver asks for with REQ (DATA packets, then an empty
 * one), and FIN to answer the receiver's FIN. The receiver compares each STAT with what it kept from the
 * previous transfer under the session's shared key and asks only for files that changed.
 */

export interface Packet {
  type: number;
  stat?: FsutilStat;
  ID?: number;
  data?: Uint8Array;
}

export interface FsutilStat {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  size: bigint | number | string;
  modTime: bigint | number | string;
  linkname?: string;
}

/** A gRPC duplex stream of Packets (grpc-js's ServerDuplexStream). */
export interface PacketStream extends EventEmitter {
  write(packet: Packet): boolean;
  end(): void;
}

export interface SendStats {
  entries: number;
  filesSent: number;
  bytesSent: number;
}

/** fsutil's content chunk: the size of the buffer it copies files with. */
const CHUNK = 32 * 1024;

// Go's os.FileMode bits, which fsutil's Stat.mode carries (not the Unix S_IF* bits).
const GO_MODE_DIR = 2 ** 31;
const GO_MODE_SYMLINK = 2 ** 27;
const GO_MODE_DEVICE = 2 ** 26;
const GO_MODE_NAMED_PIPE = 2 ** 25;
const GO_MODE_SETUID = 2 ** 23;
const GO_MODE_SETGID = 2 ** 22;
const GO_MODE_CHAR_DEVICE = 2 ** 21;
const GO_MODE_STICKY = 2 ** 20;

/** fsutil's Stat of a walked entry. Pure. */
export function fsutilStat(entry: WalkEntry): FsutilStat {
  const { stats } = entry;
  return {
    path: entry.path,
    mode: goFileMode(stats),
    uid: Number(stats.uid),
    gid: Number(stats.gid),
    size: stats.isDirectory() ? 0 : stats.size.toString(),
    modTime: stats.mtimeNs.toString(),
    ...(entry.linkname !== undefined ? { linkname: entry.linkname } : {}),
  };
}

export function goFileMode(stats: BigIntStats): number {
  const mode = Number(stats.mode);
  let out = mode & 0o777;
  if (mode & 0o4000) out += GO_MODE_SETUID;
  if (mode & 0o2000) out += GO_MODE_SETGID;
  if (mode & 0o1000) out += GO_MODE_STICKY;
  if (stats.isDirectory()) out += GO_MODE_DIR;
  else if (stats.isSymbolicLink()) out += GO_MODE_SYMLINK;
  else if (stats.isFIFO()) out += GO_MODE_NAMED_PIPE;
  else if (stats.isCharacterDevice()) out += GO_MODE_DEVICE + GO_MODE_CHAR_DEVICE;
  else if (stats.isBlockDevice()) out += GO_MODE_DEVICE;
  return out;
}

/**
 * Serves one DiffCopy call on `stream` (a grpc-js duplex of Packets) from the folder `root`. Resolves when
 * the receiver has finished; rejects on a receiver error or a failed walk (after telling the receiver).
 */
export async function sendFolder(stream: PacketStream, root: string, filter: WalkFilter): Promise<SendStats> {
  const stats: SendStats = { entries: 0, filesSent: 0, bytesSent: 0 };
  const files = new Map<number, string>();
  const requested: { id: number; path: string }[] = [];
  let wakeSender: (() => void) | undefined;
  let finished = false;

  const write = async (packet: Packet): Promise<void> => {
    if (!stream.write(packet)) await once(stream, "drain");
  };

  const receiverDone = new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => {
      finished = true;
      wakeSender?.();
      reject(error);
    };
    stream.on("data", (packet: Packet) => {
      if (packet.type === PacketType.req) {
        const id = packet.ID ?? 0;
        const path = files.get(id);
        if (path === undefined) {
          fail(new Error(`filesync: the engine asked for unknown file id ${id}`));
          return;
        }
        files.delete(id);
        requested.push({ id, path });
        wakeSender?.();
      } else if (packet.type === PacketType.fin) {
        finished = true;
        wakeSender?.();
        resolve();
      } else if (packet.type === PacketType.err) {
        fail(
          new Error(
            `filesync: the engine failed to receive the files: ${Buffer.from(packet.data ?? []).toString()}`,
          ),
        );
      }
    });
    stream.on("error", fail);
    stream.on("end", () =>
      finished ? resolve() : fail(new Error("filesync: the engine ended the transfer early")),
    );
  });

  const walk = async (): Promise<void> => {
    let id = 0;
    try {
      for await (const entry of walkFolder(root, filter)) {
        // Known before the STAT leaves: the REQ for it may come back before the write resolves.
        if (entry.stats.isFile()) files.set(id, entry.absolutePath);
        await write({ type: PacketType.stat, stat: fsutilStat(entry) });
        id++;
        stats.entries++;
      }
    } catch (error) {
      await write({ type: PacketType.err, data: Buffer.from(String((error as Error).message ?? error)) });
      throw error;
    }
    await write({ type: PacketType.stat });
  };

  // Files go one at a time, each streamed in fsutil's chunk size: at most one chunk per file in memory.
  const sendRequested = async (): Promise<void> => {
    while (!finished) {
      const next = requested.shift();
      if (next === undefined) {
        await new Promise<void>((resolve) => {
          wakeSender = resolve;
        });
        wakeSender = undefined;
        continue;
      }
      await sendFile(next.id, next.path);
      stats.filesSent++;
    }
  };

  const sendFile = async (id: number, path: string): Promise<void> => {
    try {
      for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
        await write({ type: PacketType.data, ID: id, data: chunk as Buffer });
        stats.bytesSent += (chunk as Buffer).length;
      }
    } catch (error) {
      // Removed since the walk: sent empty, as fsutil does.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    await write({ type: PacketType.data, ID: id });
  };

  await Promise.all([walk(), sendRequested(), receiverDone]);
  await write({ type: PacketType.fin });
  stream.end();
  return stats;
}
