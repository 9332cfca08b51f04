import { readFileSync } from "node:fs";

/** The CLI package's version; read from package.json next to dist/ and src/ alike. */
export function berthVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
