import { stat, statfs } from "node:fs/promises";
import { dirname } from "node:path";
import { type FSWatcher, watch } from "chokidar";
import { WatchFailedError, WatchLimitError } from "./errors.js";
import type { ChangeKind } from "./plan.js";

/**
 * File systems whose changes the kernel does not report through inotify (changes made on another
 * machine, or through a hypervisor), by their `statfs` magic: NFS, SMB/CIFS, FUSE (sshfs), 9p (WSL,
 * virtfs), VirtualBox shared folders. On them the watcher polls.
 */
const REMOTE_FILE_SYSTEMS = new Set([
  0x6969, 0x517b, 0xff534d42, 0xfe534d42, 0x65735546, 0x01021997, 0x786f4256,
]);

export interface FileWatcherOptions {
  /** Folders (or files) to watch, recursively. */
  paths: string[];
  /** Paths whose changes, and whose folders' contents, are of no interest. */
  skip: (path: string) => boolean;
  onChange: (path: string, kind: ChangeKind) => void;
  /** Any notification of the file system, before it is known whether it is a change of interest. */
  onActivity?: () => void;
  /** A failure after the watch began (the inotify limit reached while a new folder is added). */
  onError: (error: Error) => void;
  /** Poll instead of kernel notifications; by default only on network and virtual file systems. */
  poll?: boolean;
}

/**
 * The folder to watch for a rule's path: the path itself when it is a folder, its parent when it is a
 * file (editors replace a file by renaming another over it, which a watch on the file itself loses), and
 * its nearest existing ancestor when it does not exist yet, so that its creation is seen.
 */
export async function watchRoot(path: string): Promise<string> {
  let p = path;
  while (!(await stat(p).catch(() => undefined))?.isDirectory() && dirname(p) !== p) p = dirname(p);
  return p;
}

/** Whether any of the paths is on a file system that needs polling. */
export async function needsPolling(paths: readonly string[]): Promise<boolean> {
  const kinds = await Promise.all(
    paths.map((p) =>
      statfs(p).then(
        (s) => s.type,
        () => undefined,
      ),
    ),
  );
  return kinds.some((type) => type !== undefined && REMOTE_FILE_SYSTEMS.has(type));
}

/** The watcher's errors, with the inotify limit made an error a user can act on. */
export function watchError(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOSPC") return new WatchLimitError(path, error);
  return new WatchFailedError(path, error);
}

/** How often polling stats the watched files (where kernel notifications are not available). */
const POLL_INTERVAL_MS = 200;

/**
 * Watches the paths with chokidar (kernel notifications through `fs.watch`, inotify on Linux; polling
 * where `poll` says) and resolves once the initial scan is done, so that a change made after it is seen.
 * Rejects when the watch cannot be set up, e.g. on the inotify limit.
 */
export async function watchFiles(opts: FileWatcherOptions): Promise<FSWatcher> {
  const roots = [...new Set(await Promise.all(opts.paths.map(watchRoot)))];
  const usePolling = opts.poll ?? (await needsPolling(roots));
  const watcher = watch(roots, {
    ignoreInitial: true,
    persistent: true,
    usePolling,
    interval: POLL_INTERVAL_MS,
    ignored: (path: string) => opts.skip(path),
  });
  const on = (kind: ChangeKind) => (path: string) => opts.onChange(path, kind);
  watcher.on("add", on("write")).on("change", on("write")).on("addDir", on("write"));
  watcher.on("unlink", on("remove")).on("unlinkDir", on("remove"));
  if (opts.onActivity) watcher.on("raw", opts.onActivity);
  await new Promise<void>((resolve, reject) => {
    let ready = false;
    watcher.on("error", (error) => {
      const failure = watchError(opts.paths.join(", "), error);
      if (ready) opts.onError(failure);
      else {
        void watcher.close();
        reject(failure);
      }
    });
    watcher.on("ready", () => {
      ready = true;
      // Polling compares each stat with a first one that Node takes on its thread pool after `ready`:
      // a file written before that baseline would never show as a change, so wait one interval.
      if (usePolling) setTimeout(resolve, POLL_INTERVAL_MS);
      else resolve();
    });
  });
  return watcher;
}
