import { ComposeError, ComposeErrors } from "@berth/compose-schema";
import type { EngineEvent } from "@berth/engine";
import { afterEach, describe, expect, it } from "vitest";
import { formatError } from "./errors.js";
import { JsonRenderer } from "./json-renderer.js";
import { createProgress } from "./progress.js";
import {
  MASK,
  addReadableNames,
  addSecretValues,
  clearSecretValues,
  redact,
  redactError,
  redactEvent,
} from "./redact.js";

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

  it("masks a value where it stands as a value: bounded by characters other than letters, digits and _", () => {
    addSecretValues(["hunter22"]);
    for (const [text, shown] of [
      ["hunter22", MASK],
      ["pw=hunter22;", `pw=${MASK};`],
      ['"hunter22"', `"${MASK}"`],
      ["relative-hunter22", `relative-${MASK}`],
      ["postgres://user:hunter22@db:5432/app", `postgres://user:${MASK}@db:5432/app`],
      ["hunter22.txt", `${MASK}.txt`],
      ["line\nhunter22\n", `line\n${MASK}\n`],
    ])
      expect(redact(text!), text).toBe(shown);
  });

  it("never masks inside another word", () => {
    addSecretValues(["word", "pass"]);
    for (const text of [
      "wordpress",
      "password",
      "words",
      "sword",
      "_word",
      "word_",
      "word2",
      "ßword",
      "wordé",
    ])
      expect(redact(text), text).toBe(text);
  });

  it("edges that are not word characters need no boundary: the value cannot continue a word there", () => {
    addSecretValues(["#hunter22!"]);
    expect(redact("x#hunter22!y")).toBe(`x${MASK}y`);
  });

  it("keeps names readable when a password equals one of them", () => {
    addSecretValues(["postgres", "wordpress"]);
    addReadableNames(["postgres", "wordpress:latest", "wordpress", "db"], ["app"]);
    // Service, container, image, network and volume names, as progress and errors print them.
    for (const text of [
      "Container app-postgres-1  Started",
      "Service postgres  Building",
      "Image wordpress:latest  Pulling",
      "pull access denied for wordpress, repository does not exist",
      "Network app_default  Created",
      "Volume app_postgres-data  Created",
      "docker.io/library/wordpress:latest",
    ])
      expect(redact(text), text).toBe(text);
    // Standing alone, a name reads as the name wherever it is: output that names the service shows
    // that value on every line anyway, so there is nothing left to hide.
    expect(redact("FATAL: password authentication failed for user postgres")).toContain("user postgres");
    // A name only counts standing alone: inside a longer word it protects nothing.
    expect(redact("user:x-wordpress-y@db")).toBe(`user:x-${MASK}-y@db`);
    expect(redact("x-postgres-y")).toBe(`x-${MASK}-y`);
  });

  it("masks secrets' contents and long values wherever they occur, glued to other text too", () => {
    addSecretValues(["secret-env-1", "secret-file-2"], true);
    addSecretValues(["a-long-token-value-42", "short-pw"]);
    expect(redact("secret-env-1secret-file-2")).toBe(`${MASK}${MASK}`);
    expect(redact("xa-long-token-value-42x")).toBe(`x${MASK}x`);
    expect(redact("xshort-pw")).toBe("xshort-pw");
  });

  it("keeps only what lies wholly inside a readable name", () => {
    addSecretValues(["app-web-1 secret"]);
    addReadableNames([], ["app"]);
    expect(redact("is app-web-1 secret")).toBe(`is ${MASK}`);
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
      logs: ["token hunter22", "done"],
      error,
    };
    const out = redactEvent(event);
    expect(out.logs).toEqual([`token ${MASK}`, "done"]);
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
