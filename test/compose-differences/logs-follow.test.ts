import { type LogLine, streamLogs, up } from "@berth/engine";
import { afterAll, describe, expect, it } from "vitest";
import { docker, requireDocker, uniqueProject } from "../helpers/docker.js";
import { cleanup, makeProject } from "./project.js";

/** Prints a line with its container's hostname, then sleeps until TERM. */
const TALKER = (word: string) => [
  "sh",
  "-c",
  `echo ${word}-$(hostname); trap 'exit 0' TERM; sleep 3600 & wait`,
];

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// docker compose logs -f stops following a container once it stops, and never attaches to containers
// started later. Berth watches the project's start events and follows restarted, recreated and new ones.
describe.skipIf(!requireDocker())("logs -f follows what changes", () => {
  const name = uniqueProject("follow");
  afterAll(() => cleanup(name));

  it("keeps following across a restart, a recreate and a scale-up, with one notice each", async () => {
    const first = makeProject(name, [{ name: "web", command: TALKER("one") }]);
    await up(docker, first);
    const lines: LogLine[] = [];
    const notices: string[] = [];
    const controller = new AbortController();
    const following = streamLogs(
      docker,
      name,
      { follow: true, onNotice: (n) => notices.push(n) },
      (l) => lines.push(l),
      controller.signal,
    );
    try {
      const texts = () => lines.map((l) => `${l.container} ${l.text.replace(/-[0-9a-f]{12}$/, "")}`);
      await until(() => texts().length === 1, "the first line");

      await docker.getContainer(`${name}-web-1`).restart({ t: 1 });
      await until(() => texts().length === 2, "the line after the restart");

      await up(docker, makeProject(name, [{ name: "web", command: TALKER("two") }]), { scale: { web: 2 } });
      await until(() => texts().length === 4, "the lines of the recreated and the new container");

      expect(texts().slice(0, 2)).toEqual([`${name}-web-1 one`, `${name}-web-1 one`]);
      expect(texts().slice(2).sort()).toEqual([`${name}-web-1 two`, `${name}-web-2 two`]);
      expect(notices.sort()).toEqual([
        `${name}-web-1 started: following its logs`,
        `${name}-web-1 started: following its logs`,
        `${name}-web-2 started: following its logs`,
      ]);
    } finally {
      controller.abort();
      await following;
    }
  });
});
