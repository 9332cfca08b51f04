// Tests that run against the stack started by global-setup.ts, from the host.
/// <reference path="./provided-context.d.ts" />
import { describe, expect, inject, it } from "vitest";

const api = inject("berthStack").urls.api["3000/tcp"];

describe("the API of the ci-stack", () => {
  it("counts visits in PostgreSQL and caches in Redis", async () => {
    const first = await (await fetch(api)).json();
    const second = await (await fetch(api)).json();
    expect(second.visits).toBe(first.visits + 1);
    expect(second.cache).toBe("hit");
  });

  it("answers 404 for unknown paths", async () => {
    expect((await fetch(`${api}nothing-here`)).status).toBe(404);
  });
});
