import { describe, expect, it } from "vitest";
import { ComposeError, ErrorCodes } from "./errors.js";
import { interpolateFile, interpolateString } from "./interpolate.js";
import { parseComposeFile } from "./parse.js";
import { OverrideTag, ResetTag } from "./tags.js";

const VARS = { A: "aa", B: "bb", E: "", N: "3", T: "yes", PORT: "8080" };

function expand(s: string, vars: Record<string, string> = VARS): string {
  return interpolateString(s, vars);
}

describe("interpolateString", () => {
  it.each([
    ["plain text", "plain text"],
    ["$A", "aa"],
    ["${A}", "aa"],
    ["$A-x", "aa-x"],
    ["${A}${A}", "aaaa"],
    ["x${A}y$B", "xaay" + "bb"],
    ["$$", "$"],
    ["a$$b", "a$b"],
    ["$$A", "$A"],
    ["$$$A", "$aa"],
    ["$${A}", "${A}"],
    ["$", "$"],
    ["$1", "$1"],
    ["$-", "$-"],
    ["cost: 5$", "cost: 5$"],
    ["${U:-d}${E:-d}${A:-d}", "dda" + "a"],
    ["${U-d}${E-d}${A-d}", "d" + "aa"],
    ["${U:+r}${E:+r}${A:+r}", "r"],
    ["${U+r}${E+r}${A+r}", "rr"],
    ["${U:-}", ""],
    ["${A:-${B:-c}}", "aa"],
    ["${U:-${V:-c}}", "c"],
    ["${U:-${B}x}y", "bbxy"],
    ["${U:-a}}", "a}"],
    ["${U:-{a}}", "{a}"],
    ["${U:-$}", "$"],
    ["${U:-$$}", "$"],
    ["${U:-$${A}}", "${A}"],
    ["${A:?$${B}}", "aa"],
    ["${E?x}", ""],
    ["${A:?x}", "aa"],
    ["é$A✓", "éaa✓"],
    ["${Ab_1}", ""],
    ["${_x}", ""],
  ])("%s → %s", (input, output) => {
    expect(expand(input)).toBe(output);
  });

  it("gives back any text whose dollars are doubled", () => {
    // A fixed-seed generator over the characters that matter to the syntax.
    const alphabet = ["$", "{", "}", ":", "-", "+", "?", "A", "_", "1", " ", "é", "\n"];
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]).join("");
      expect(expand(text.replaceAll("$", () => "$$"))).toBe(text);
    }
  });

  it("is case-sensitive on names", () => {
    expect(expand("${a}", { A: "up", a: "low" })).toBe("low");
  });

  it("accepts a lookup function", () => {
    expect(interpolateString("${X}-$Y", (name) => (name === "X" ? "x" : undefined))).toBe("x-");
  });

  it("reports unset variables without a default, and only those", () => {
    const missing: string[] = [];
    interpolateString("$U ${V} ${W:-d} ${X-d} ${Y:+r} ${A} ${U}", VARS, (n) => missing.push(n));
    expect(missing).toEqual(["U", "V", "U"]);
  });

  it("expands a default only when it is used", () => {
    const missing: string[] = [];
    expect(interpolateString("${A:-${U}}${A:-${R:?boom}}", VARS, (n) => missing.push(n))).toBe("aaaa");
    expect(missing).toEqual([]);
  });

  it("reports a syntax error in an unused default", () => {
    expect(() => expand("${A:-${}}")).toThrow(expect.objectContaining({ code: ErrorCodes.interpolation }));
    expect(() => expand("${U:+${B:-x}${.}}")).toThrow(
      expect.objectContaining({ code: ErrorCodes.interpolation }),
    );
    expect(expand("${A:-${R:?unused}}")).toBe("aa");
  });

  it.each([
    ["${U:?must be set}", "required variable U is missing a value: must be set"],
    ["${E:?empty}", "required variable E is missing a value: empty"],
    ["${U?}", "required variable U is missing a value"],
    ["${U:?}", "required variable U is missing a value"],
    ["${U:?need $A}", "required variable U is missing a value: need aa"],
    ["${U:-${V:?inner}}", "required variable V is missing a value: inner"],
  ])("%s fails with %s", (input, message) => {
    const err = (() => {
      try {
        expand(input);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ComposeError);
    expect((err as ComposeError).code).toBe(ErrorCodes.missingVariable);
    expect((err as ComposeError).message).toBe(message);
  });

  it.each(["${", "${A", "${}", "${1abc}", "${A:}", "${A:x}", "${A x}", "${A.b}", "${U:-${V}", "x ${-A}"])(
    "%s is invalid syntax",
    (input) => {
      expect(() => expand(input)).toThrow(
        expect.objectContaining({
          code: ErrorCodes.interpolation,
          message: expect.stringMatching(/escape any \$/),
        }),
      );
    },
  );
});

describe("interpolateFile", () => {
  const FILE = "/p/compose.yaml";

  it("returns a new tree with every string value interpolated, keys untouched, input unchanged", () => {
    const source = parseComposeFile(
      FILE,
      "services:\n  ${A}:\n    image: img:${A}\n    command: [echo, $$HOME, '${B}']\n    x-ext: $A\n    ports: [8080]\nx-top: {v: '${B:-d}'}\n",
    );
    const before = structuredClone(source.data);
    const out = interpolateFile(source, source.data, VARS);
    expect(out.errors).toEqual([]);
    expect(out.data).toEqual({
      services: {
        "${A}": { image: "img:aa", command: ["echo", "$HOME", "bb"], "x-ext": "aa", ports: [8080] },
      },
      "x-top": { v: "bb" },
    });
    expect(source.data).toEqual(before);
  });

  it("warns once per unset variable", () => {
    const source = parseComposeFile(FILE, "services:\n  a:\n    image: $U\n    hostname: ${U}-${V}\n");
    const out = interpolateFile(source, source.data, {});
    expect(out.warnings).toEqual([
      'The "U" variable is not set. Defaulting to a blank string.',
      'The "V" variable is not set. Defaulting to a blank string.',
    ]);
    expect(out.data).toEqual({ services: { a: { image: "", hostname: "-" } } });
  });

  it("collects every error with the location of its value", () => {
    const source = parseComposeFile(
      FILE,
      "services:\n  a:\n    image: ${IMG:?set IMG to the image}\n    environment:\n      - X=${oops\n    labels: {l: '${}'}\n",
    );
    const { errors } = interpolateFile(source, source.data, {});
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      [
        ErrorCodes.missingVariable,
        "/p/compose.yaml:3:12: required variable IMG is missing a value: set IMG to the image",
      ],
      [
        ErrorCodes.interpolation,
        '/p/compose.yaml:5:9: invalid interpolation format for services.a.environment[0]: "X=${oops"; you may need to escape any $ with another $',
      ],
      [
        ErrorCodes.interpolation,
        '/p/compose.yaml:6:17: invalid interpolation format for services.a.labels.l: "${}"; you may need to escape any $ with another $',
      ],
    ]);
    expect(errors[0]!.location).toEqual({ file: FILE, line: 3, column: 12 });
  });

  it("casts strings at typed paths to numbers and booleans", () => {
    const source = parseComposeFile(
      FILE,
      [
        "services:",
        "  a:",
        "    deploy: {replicas: '${N}', update_config: {max_failure_ratio: '0.${N}'}}",
        "    read_only: '${T}'",
        "    tty: 'False'",
        "    cpus: ${N}.5",
        "    ports: [{target: '${PORT}', published: '${PORT}'}]",
        "    ulimits: {nofile: '${N}', nproc: {soft: '${N}', hard: 4}}",
        "    healthcheck: {retries: '$N'}",
        "    secrets: [{source: s, mode: '0440'}]",
        "    depends_on: {b: {condition: service_started, required: 'false'}}",
        "    hostname: '${N}'",
        "    environment: {N: '${N}'}",
        "networks: {n: {external: 'true'}}",
        "volumes: {v: {external: '${T}'}}",
      ].join("\n"),
    );
    const out = interpolateFile(source, source.data, VARS);
    expect(out.errors).toEqual([]);
    expect(out.data).toEqual({
      services: {
        a: {
          deploy: { replicas: 3, update_config: { max_failure_ratio: 0.3 } },
          read_only: true,
          tty: false,
          cpus: 3.5,
          ports: [{ target: 8080, published: "8080" }],
          ulimits: { nofile: 3, nproc: { soft: 3, hard: 4 } },
          healthcheck: { retries: 3 },
          secrets: [{ source: "s", mode: 0o440 }],
          depends_on: { b: { condition: "service_started", required: false } },
          hostname: "3",
          environment: { N: "3" },
        },
      },
      networks: { n: { external: true } },
      volumes: { v: { external: true } },
    });
    expect(out.warnings).toEqual([
      '"yes" for boolean is not supported by YAML 1.2, please use `true`',
      '"yes" for boolean is not supported by YAML 1.2, please use `true`',
    ]);
  });

  it("leaves a string that does not convert for validation to report", () => {
    const source = parseComposeFile(
      FILE,
      "services:\n  a:\n    deploy: {replicas: '${X}'}\n    tty: maybe\n",
    );
    const out = interpolateFile(source, source.data, { X: "many" });
    expect(out.errors).toEqual([]);
    expect(out.data).toEqual({ services: { a: { deploy: { replicas: "many" }, tty: "maybe" } } });
  });

  it("interpolates inside !override and keeps !reset", () => {
    const source = parseComposeFile(
      FILE,
      "services:\n  a:\n    ports: !override ['${PORT}:80']\n    image: !reset\n",
    );
    const out = interpolateFile(source, source.data, VARS);
    const a = (out.data as { services: { a: Record<string, unknown> } }).services.a;
    expect(a.ports).toEqual(new OverrideTag(["8080:80"]));
    expect(a.ports).toBeInstanceOf(OverrideTag);
    expect(a.image).toBeInstanceOf(ResetTag);
  });

  it("expands shared (aliased) values separately at each place", () => {
    const source = parseComposeFile(FILE, "x-a: &a {image: '${A}'}\nservices:\n  s1: *a\n  s2: *a\n");
    const out = interpolateFile(source, source.data, VARS) as { data: { services: Record<string, unknown> } };
    expect(out.data.services.s1).toEqual({ image: "aa" });
    expect(out.data.services.s1).not.toBe(out.data.services.s2);
  });
});
