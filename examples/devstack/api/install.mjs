// Installs package.json's dependencies into node_modules, as `npm ci` would from a private registry that
// wants a token. The local images carry no npm and no registry is reachable here, so the "registry" is
// this folder (`file:` dependencies); what the Dockerfile shows is real: the token comes from a build
// secret (never a layer, an ARG or the history) and downloads are kept in a BuildKit cache mount, so a
// rebuild after a change of package.json fetches only what is new.
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const TOKEN_FILE = process.env.REGISTRY_TOKEN_FILE ?? "/run/secrets/registry_token";
const CACHE = process.env.PACKAGE_CACHE ?? "/root/.cache/devstack-packages";

const token = existsSync(TOKEN_FILE) ? readFileSync(TOKEN_FILE, "utf8").trim() : "";
if (!token) {
  console.error(`no registry token in ${TOKEN_FILE}: build with the registry_token secret`);
  process.exit(1);
}

const { dependencies = {} } = JSON.parse(readFileSync("package.json", "utf8"));
rmSync("node_modules", { recursive: true, force: true });
for (const [name, spec] of Object.entries(dependencies)) {
  const source = spec.replace(/^file:/, "");
  const { version } = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
  const cached = join(CACHE, `${name}@${version}`);
  // A registry would be asked with `Authorization: Bearer ${token}` here.
  const hit = existsSync(cached);
  if (!hit) cpSync(source, cached, { recursive: true });
  cpSync(cached, join("node_modules", name), { recursive: true });
  console.log(`${name}@${version}: ${hit ? "from the cache" : "fetched"}`);
}
