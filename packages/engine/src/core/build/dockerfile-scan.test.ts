import { describe, expect, it } from "vitest";
import { instructionLine, instructions, newerFrontendConstructs, syntaxFrontend } from "./dockerfile-scan.js";

describe("syntaxFrontend", () => {
  it("reads the directive only above the first instruction", () => {
    expect(syntaxFrontend("# syntax=docker/dockerfile:1\nFROM x\n")).toBe("docker/dockerfile:1");
    expect(syntaxFrontend("#syntax = docker/dockerfile:1.4\nFROM x\n")).toBe("docker/dockerfile:1.4");
    expect(syntaxFrontend("FROM x\n# syntax=docker/dockerfile:1\n")).toBeUndefined();
    expect(syntaxFrontend("# a comment\n# syntax=docker/dockerfile:1\nFROM x\n")).toBeUndefined();
  });
});

describe("instructions", () => {
  it("joins continuation lines, skips comments and heredoc bodies", () => {
    const text =
      "FROM x\n# c\nRUN a \\\n  # inner\n  && b\nRUN <<EOT\nFROM not-an-instruction\nEOT\nCOPY . /\n";
    expect(instructions(text).map((i) => [i.line, i.keyword, i.text])).toEqual([
      [1, "FROM", "FROM x"],
      [3, "RUN", "RUN a && b"],
      [6, "RUN", "RUN <<EOT"],
      [9, "COPY", "COPY . /"],
    ]);
  });

  it("honours the escape directive", () => {
    expect(instructions("# escape=`\nFROM x\nRUN a `\n b\n").map((i) => i.text)).toEqual([
      "FROM x",
      "RUN a b",
    ]);
  });
});

describe("newerFrontendConstructs", () => {
  it("finds COPY --link, heredocs and named contexts with their lines", () => {
    const text = [
      "FROM base AS build",
      "COPY --link . /src",
      "RUN <<EOT",
      "echo hi",
      "EOT",
      "FROM deps",
      "COPY --from=build /src /src",
      "COPY --from=assets /a /a",
      "RUN --mount=type=bind,from=assets,target=/m true",
      "COPY --chmod=755 run.sh /",
    ].join("\n");
    expect(newerFrontendConstructs(text, ["assets", "deps", "build"])).toEqual([
      { construct: "COPY --link", line: 2 },
      { construct: "heredoc (RUN <<EOT)", line: 3 },
      { construct: "FROM deps (a named context)", line: 6 },
      { construct: "COPY --from=assets (a named context)", line: 8 },
      { construct: "RUN --from=assets (a named context)", line: 9 },
    ]);
  });

  it("finds nothing in what the built-in frontend parses", () => {
    const text =
      "FROM x AS a\nRUN --mount=type=cache,target=/c true\nCOPY --chmod=644 --from=a /x /x\nRUN echo '<<not'\n";
    expect(newerFrontendConstructs(text)).toEqual([]);
  });
});

describe("instructionLine", () => {
  it("finds the instruction of a step, build arguments expanded", () => {
    const text = 'FROM x\nARG X\nRUN echo one; \\\n  echo "x=$X" && exit 3\nRUN true\n';
    expect(instructionLine(text, '[stage-1 3/4] RUN echo one;   echo "x=1" && exit 3')).toBe(3);
    expect(instructionLine(text, "[4/4] RUN true")).toBe(5);
    expect(instructionLine(text, "[4/4] RUN false")).toBeUndefined();
    expect(instructionLine(text, "exporting to image")).toBeUndefined();
  });
});
