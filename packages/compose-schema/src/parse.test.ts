import { describe, expect, it } from "vitest";
import { type ComposeError, ComposeErrors, ErrorCodes } from "./errors.js";
import { parseComposeDocuments, parseComposeFile } from "./parse.js";
import { OverrideTag, ResetTag } from "./tags.js";

const FILE = "/p/compose.yaml";

function errorsOf(content: string | Uint8Array): readonly ComposeError[] {
  try {
    parseComposeFile(FILE, content);
  } catch (err) {
    expect(err).toBeInstanceOf(ComposeErrors);
    return (err as ComposeErrors).errors;
  }
  throw new Error("expected the file to be rejected");
}

describe("parseComposeFile", () => {
  it("returns plain data with compose's scalar typing (YAML 1.2 booleans, YAML 1.1 integer forms)", () => {
    const { data } = parseComposeFile(
      FILE,
      "a: 0755\nb: 0o755\nc: yes\nd: 1_000\ne: 0x1f\nf: ~\ng: 1e3\nh: 0b101\ni: 09\nj: on\nk: True\nl: '0755'\nm: .5\nn: -0\n",
    );
    expect(data).toEqual({
      a: 493,
      b: 493,
      c: "yes",
      d: 1000,
      e: 31,
      f: null,
      g: 1000,
      h: 5,
      i: 9,
      j: "on",
      k: true,
      l: "0755",
      m: 0.5,
      n: 0,
    });
    expect(Object.is((data as { n: number }).n, 0)).toBe(true);
  });

  it("resolves anchors, aliases and << merge keys, keys written in the map winning", () => {
    const { data } = parseComposeFile(
      FILE,
      "x-base: &base {image: busybox, environment: {A: '1'}}\nx-more: &more {restart: always, image: other}\nservices:\n  web:\n    <<: [*base, *more]\n    image: nginx\n  db:\n    <<: *base\n",
    );
    expect(data).toEqual({
      "x-base": { image: "busybox", environment: { A: "1" } },
      "x-more": { restart: "always", image: "other" },
      services: {
        web: { image: "nginx", environment: { A: "1" }, restart: "always" },
        db: { image: "busybox", environment: { A: "1" } },
      },
    });
  });

  it("represents !reset and !override with the tag classes", () => {
    const { data } = parseComposeFile(
      FILE,
      "services:\n  web:\n    ports: !reset []\n    environment: !reset {}\n    image: !reset\n    volumes: !override\n      - a:/a\n    labels: !override {a: b}\n    scale: !override 3\n",
    );
    const web = (data as { services: { web: Record<string, unknown> } }).services.web;
    expect(web.ports).toBeInstanceOf(ResetTag);
    expect(web.environment).toBeInstanceOf(ResetTag);
    expect(web.image).toBeInstanceOf(ResetTag);
    expect(web.volumes).toEqual(new OverrideTag(["a:/a"]));
    expect(web.labels).toEqual(new OverrideTag({ a: "b" }));
    expect(web.scale).toEqual(new OverrideTag(3));
    expect(web.volumes).toBeInstanceOf(OverrideTag);
  });

  it("locates values and keys (1-based), through merges, and falls back to the deepest existing node", () => {
    const file = parseComposeFile(
      FILE,
      "x-base: &base\n  image: busybox\n  ports: ['80', '81']\nservices:\n  web:\n    <<: *base\n    command: run\n",
    );
    expect(file.locate(["services", "web", "command"])).toEqual({ file: FILE, line: 7, column: 14 });
    expect(file.locate(["services", "web", "command"], "key")).toEqual({ file: FILE, line: 7, column: 5 });
    expect(file.locate(["services", "web", "image"])).toEqual({ file: FILE, line: 2, column: 10 });
    expect(file.locate(["services", "web", "ports", 1])).toEqual({ file: FILE, line: 3, column: 17 });
    expect(file.locate(["services", "web", "nothing", "here"])).toEqual({ file: FILE, line: 6, column: 5 });
    expect(file.locate(["services", "web", "nothing"], "key")).toEqual({ file: FILE, line: 5, column: 3 });
    expect(file.locate([])).toEqual({ file: FILE, line: 1, column: 1 });
  });

  it("locates inside !override collections", () => {
    const file = parseComposeFile(
      FILE,
      "services:\n  web:\n    ports: !override\n      - '80'\n      - '81'\n",
    );
    expect(file.locate(["services", "web", "ports", 1])).toEqual({ file: FILE, line: 5, column: 9 });
  });

  it("handles CRLF line endings and a UTF-8 byte order mark", () => {
    const bytes = new TextEncoder().encode("\uFEFFservices:\r\n  web:\r\n    image: nginx\r\n");
    const file = parseComposeFile(FILE, bytes);
    expect(file.data).toEqual({ services: { web: { image: "nginx" } } });
    expect(file.locate(["services", "web", "image"])).toEqual({ file: FILE, line: 3, column: 12 });
  });

  it("keeps unicode text", () => {
    expect(parseComposeFile(FILE, "x-name: héllo ✓ 日本\n").data).toEqual({ "x-name": "héllo ✓ 日本" });
  });

  it("refuses a file without a document, as compose does", () => {
    for (const text of ["", "# only a comment\n"]) {
      const errors = errorsOf(text);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("empty compose file: define at least one service in it");
      expect(errors[0]?.location).toEqual({ file: FILE, line: 1, column: 1 });
    }
  });

  it("refuses control characters, unknown directives and YAML versions compose does not read", () => {
    expect(errorsOf("services:\n  app:\n    image: x\u0007\n")[0]?.message).toContain(
      "control characters are not allowed (U+0007)",
    );
    expect(errorsOf("a: 1\u0000\n")[0]?.location).toEqual({ file: FILE, line: 1, column: 5 });
    expect(errorsOf("%FOO bar\n---\na: 1\n")[0]?.message).toContain("found unknown directive name %FOO");
    expect(errorsOf("%YAML 1.3\n---\na: 1\n")[0]?.message).toContain("found incompatible YAML document");
    expect(parseComposeFile(FILE, "%YAML 1.2\n---\na: 1\n").data).toEqual({ a: 1 });
  });

  it("reports every YAML syntax error with its position", () => {
    const errors = errorsOf("services:\n  web:\n    image: [nginx\n  db: {a: b\n");
    expect(errors.length).toBeGreaterThanOrEqual(1);
    for (const e of errors) {
      expect(e.code).toBe(ErrorCodes.yamlSyntax);
      expect(e.location?.file).toBe(FILE);
    }
  });

  it("rejects duplicate keys at the second occurrence", () => {
    const [e] = errorsOf("services:\n  web:\n    image: a\n    image: b\n");
    expect(e!.code).toBe(ErrorCodes.yamlSyntax);
    expect(e!.location).toEqual({ file: FILE, line: 4, column: 5 });
    expect(e!.message).toContain("duplicate key image");
    const [flow] = errorsOf('x-a: {"k": 1, k: 2}\n');
    expect(flow!.message).toContain("duplicate key k");
    expect(flow!.location).toEqual({ file: FILE, line: 1, column: 15 });
  });

  it("rejects a top level that is not a mapping, and explicit empty documents", () => {
    for (const text of ["- a\n", "just text\n", "---\n", "null\n"]) {
      const [e] = errorsOf(text);
      expect(e!.code).toBe(ErrorCodes.yamlSyntax);
      expect(e!.message).toMatch(/top level of a compose file must be a mapping/);
    }
  });

  it("rejects non-string keys with their place", () => {
    const errors = errorsOf(
      "services:\n  web:\n    labels:\n      1: x\n      true: y\n    ports:\n      - {null: 1}\n",
    );
    expect(errors.map((e) => [e.location?.line, e.location?.column])).toEqual([
      [4, 7],
      [5, 7],
      [7, 10],
    ]);
    expect(errors[0]!.message).toContain("non-string key in services.web.labels: 1");
    expect(errors[2]!.message).toContain("services.web.ports[0]");
  });

  it("rejects a << merge whose value is not a mapping", () => {
    const [e] = errorsOf("services:\n  web:\n    <<: 3\n");
    expect(e!.location).toEqual({ file: FILE, line: 3, column: 5 });
    expect(e!.message).toMatch(/"<<" in services.web must be a mapping/);
  });

  it("rejects an alias to an unknown anchor", () => {
    const [e] = errorsOf("services:\n  web: *nope\n");
    expect(e!.code).toBe(ErrorCodes.yamlSyntax);
    expect(e!.message).toContain("unknown alias *nope");
    expect(e!.location).toEqual({ file: FILE, line: 2, column: 8 });
  });

  it("rejects an alias to an unknown anchor used as a key", () => {
    const [e] = errorsOf("services:\n  *nope : 1\n");
    expect(e!.message).toContain("unknown alias *nope");
    expect(e!.location).toEqual({ file: FILE, line: 2, column: 3 });
  });

  it("rejects an anchor whose value contains its own alias, directly or through <<", () => {
    for (const [text, line, column] of [
      ["x-a: &a\n  k: *a\nservices: {}\n", 2, 6],
      ["x-a: &a\n  k:\n    <<: *a\nservices: {}\n", 3, 9],
      ["x-a: &a [1, [*a]]\n", 1, 14],
    ] as const) {
      const [e] = errorsOf(text);
      expect(e!.code).toBe(ErrorCodes.yamlSyntax);
      expect(e!.message).toBe(`${FILE}:${line}:${column}: anchor 'a' value contains itself`);
      expect(e!.location).toEqual({ file: FILE, line, column });
    }
  });

  it("rejects a document nested too deeply, naming where the nesting starts", () => {
    for (const [text, path] of [
      [`a:\n  b: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`, "a.b[0][0][0][0][0][0]…"],
      [`a: ${"{k: ".repeat(10_000)}1${"}".repeat(10_000)}\n`, "a.k.k.k.k.k.k.k…"],
      [`a:\n  ${"- ".repeat(10_000)}x\n`, "a[0][0][0][0][0][0][0]…"],
    ] as const) {
      const [e] = errorsOf(text);
      expect(e!.code).toBe(ErrorCodes.yamlSyntax);
      expect(e!.message).toContain(`: ${path} is nested too deeply (more than 200 levels)`);
      expect(e!.location?.line).toBe(text.startsWith("a:\n") ? 2 : 1);
    }
    // As deep as allowed still parses.
    const deep = `a: ${"[".repeat(199)}${"]".repeat(199)}\n`;
    expect(() => parseComposeFile(FILE, deep)).not.toThrow();
  });

  it("keeps explicitly tagged strings as strings", () => {
    expect(parseComposeFile(FILE, "a: !!str 0755\nb: '1'\n").data).toEqual({ a: "0755", b: "1" });
  });

  it("returns every document of a `---` stream, each locating its own values", () => {
    const docs = parseComposeDocuments(FILE, "services:\n  a: {image: x}\n---\nservices:\n  b: {image: y}\n");
    expect(docs.map((d) => d.data)).toEqual([
      { services: { a: { image: "x" } } },
      { services: { b: { image: "y" } } },
    ]);
    expect(docs[1]!.locate(["services", "b", "image"])).toEqual({ file: FILE, line: 5, column: 14 });
    expect(parseComposeFile(FILE, "a: 1\n---\nb: 2\n").data).toEqual({ a: 1 });
  });

  it("rejects an empty or non-mapping document of a stream at its place", () => {
    for (const [text, line] of [
      ["a: 1\n---\n", 2],
      ["a: 1\n---\n- x\n", 3],
    ] as const) {
      expect(() => parseComposeDocuments(FILE, text)).toThrow(
        `${FILE}:${line}:1: the top level of a compose file must be a mapping`,
      );
    }
  });

  it("stops a billion-laughs alias bomb quickly", () => {
    let text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (let i = 1; i < 10; i++)
      text += `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(", ")}]\n`;
    const started = performance.now();
    const [e] = errorsOf(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(e!.code).toBe(ErrorCodes.yamlSyntax);
    expect(e!.message).toMatch(/too many aliases/);
  });

  it("accepts an anchor reused by many services", () => {
    let text = "x-base: &base {image: busybox}\nservices:\n";
    for (let i = 0; i < 500; i++) text += `  s${i}: *base\n`;
    const data = parseComposeFile(FILE, text).data as { services: Record<string, unknown> };
    expect(Object.keys(data.services)).toHaveLength(500);
  });

  it("rejects bytes that are not UTF-8, saying where", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("a: 1\nb: é"), 0xff, 0x0a]);
    const [e] = errorsOf(bytes);
    expect(e!.code).toBe(ErrorCodes.yamlSyntax);
    expect(e!.message).toMatch(/not valid UTF-8/);
    expect(e!.location).toEqual({ file: FILE, line: 2, column: 5 });
    // A truncated multi-byte sequence at the end is also invalid.
    const [t] = errorsOf(new Uint8Array([0x61, 0x3a, 0x20, 0xe2, 0x82]));
    expect(t!.location).toEqual({ file: FILE, line: 1, column: 4 });
  });
});
