import { ComposeError, ComposeErrors } from "@berth/compose-schema";
import type { EngineEvent } from "@berth/engine";
import { afterEach, describe, expect, it } from "vitest";
import { formatError } from "./errors.js";
import { JsonRenderer } from "./json-renderer.js";
import { createProgress } from "./progress.js";
import { MASK, addSecretValues, clearSecretValues, redact, redactError, redactEvent } from "./redact.js";

afterEach(() => clearSecretValues());

function sink() {
  let text = "";
  return {
    stream: {
      write: (s: string) => {
        text += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

describe("redact", () => {
  it("changes nothing until values are registered, then masks each of them", () => {
    expect(redact("pw=hunter22")).toBe("pw=hunter22");
    addSecretValues(["hunter22", "abc"]);
    expect(redact("pw=hunter22 abc")).toBe(`pw=${MASK} abc`);
  });

  it("masks values with regex characters literally", () => {
    addSecretValues(["a.b*c(d)"]);
    expect(redact("x a.b*c(d) aXbbc(d)")).toBe(`x ${MASK} aXbbc(d)`);
  });

  it("masks every text of an event, the error included, and keeps the error's class and code", () => {
    addSecretValues(["hunter22"]);
    const error = new ComposeError("COMPOSE_SCHEMA", "bad value hunter22", { detail: "was hunter22" });
    const event: EngineEvent = {
      kind: "container",
      name: "app-1",
      action: "Error",
      status: "error",
      detail: "unhealthy: hunter22",
      progress: { text: "Step 1 hunter22" },
      error,
    };
    const out = redactEvent(event);
    expect(out.detail).toBe(`unhealthy: ${MASK}`);
    expect(out.progress?.text).toBe(`Step 1 ${MASK}`);
    expect(out.error).toBeInstanceOf(ComposeError);
    expect((out.error as ComposeError).code).toBe("COMPOSE_SCHEMA");
    expect(out.error?.message).toBe(`bad value ${MASK}`);
    expect((out.error as ComposeError).detail).toBe(`was ${MASK}`);
    expect(error.message).toBe("bad value hunter22");
  });

  it("masks each error of a ComposeErrors", () => {
    addSecretValues(["hunter22"]);
    const e = redactError(new ComposeErrors([new ComposeError("X", "one hunter22")]));
    expect(e.errors[0]?.message).toBe(`one ${MASK}`);
  });
});

describe("where output leaves the process", () => {
  it("the error printer masks message, per-file errors and detail", () => {
    addSecretValues(["hunter22"]);
    const err = new ComposeErrors([
      new ComposeError("COMPOSE_SCHEMA", '"hunter22" is not a valid port', {
        location: { file: "/p/compose.yaml", line: 3, column: 5 },
      }),
    ]);
    const lines = formatError(err, "/p", false).join("\n");
    expect(lines).toContain(`"${MASK}" is not a valid port`);
    expect(lines).not.toContain("hunter22");
  });

  it.each(["plain", "json"] as const)("the %s renderer gets masked events", async (mode) => {
    addSecretValues(["hunter22"]);
    const out = sink();
    const renderer = await createProgress(mode, { out: out.stream, color: false });
    renderer.onEvent({
      kind: "container",
      name: "app-1",
      action: "Error",
      status: "error",
      detail: "hunter22",
      error: new Error("x hunter22"),
    });
    await renderer.close();
    expect(out.text()).toContain(MASK);
    expect(out.text()).not.toContain("hunter22");
  });

  it("the JSON renderer alone does not mask: the wrapper in createProgress does", () => {
    addSecretValues(["hunter22"]);
    const out = sink();
    new JsonRenderer(out.stream).onEvent({
      kind: "container",
      name: "a",
      action: "Error",
      status: "error",
      detail: "hunter22",
    });
    expect(out.text()).toContain("hunter22");
  });
});
