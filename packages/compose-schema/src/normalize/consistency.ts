import { isPlainObject } from "../canonical/context.js";
import type { EntryLocator } from "../entry-locator.js";
import { ComposeError, ErrorCodes } from "../errors.js";
import type { DocPath } from "../source.js";

type Doc = Record<string, unknown>;

/**
 * The references compose checks before running anything: every network, named volume, secret and
 * config a service uses must be defined at the top level, and every `depends_on` must name a service.
 * Each fault is located at the reference.
 */
export function checkReferences(doc: Doc, locator: EntryLocator): ComposeError[] {
  const errors: ComposeError[] = [];
  const defined = (section: string, name: string) => {
    const entries = doc[section];
    return isPlainObject(entries) && Object.hasOwn(entries, name);
  };
  const fail = (path: DocPath, message: string) =>
    errors.push(new ComposeError(ErrorCodes.reference, message, { location: locator.locate(path) }));
  const failAtEntry = (parent: DocPath, key: string, message: string) =>
    errors.push(
      new ComposeError(ErrorCodes.reference, message, { location: locator.locateEntry(parent, key) }),
    );
  const services = isPlainObject(doc.services) ? doc.services : {};
  for (const [name, svc] of Object.entries(services)) {
    if (!isPlainObject(svc)) continue;
    const at = (...p: (string | number)[]): DocPath => ["services", name, ...p];
    if (svc.image === undefined && svc.build === undefined) {
      errors.push(
        new ComposeError(
          ErrorCodes.invalidValue,
          `service "${name}" has neither an image nor a build context specified`,
          {
            location: locator.locate(["services", name], "key"),
          },
        ),
      );
    }
    if (isPlainObject(svc.networks)) {
      for (const net of Object.keys(svc.networks)) {
        if (net !== "default" && !defined("networks", net))
          failAtEntry(at("networks"), net, `service "${name}" refers to undefined network ${net}`);
      }
    }
    if (Array.isArray(svc.volumes)) {
      svc.volumes.forEach((v, i) => {
        if (
          isPlainObject(v) &&
          v.type === "volume" &&
          typeof v.source === "string" &&
          v.source !== "" &&
          !defined("volumes", v.source)
        )
          fail(at("volumes", i), `service "${name}" refers to undefined volume ${v.source}`);
      });
    }
    for (const section of ["secrets", "configs"]) {
      const refs = svc[section];
      if (!Array.isArray(refs)) continue;
      refs.forEach((r, i) => {
        if (isPlainObject(r) && typeof r.source === "string" && !defined(section, r.source))
          fail(at(section, i), `service "${name}" refers to undefined ${section.slice(0, -1)} ${r.source}`);
      });
    }
    if (isPlainObject(svc.build) && Array.isArray(svc.build.secrets)) {
      svc.build.secrets.forEach((r, i) => {
        if (isPlainObject(r) && typeof r.source === "string" && !defined("secrets", r.source))
          fail(at("build", "secrets", i), `service "${name}" refers to undefined build secret ${r.source}`);
      });
    }
    if (isPlainObject(svc.depends_on)) {
      for (const dep of Object.keys(svc.depends_on)) {
        if (!Object.hasOwn(services, dep))
          failAtEntry(at("depends_on"), dep, `service "${name}" depends on undefined service ${dep}`);
      }
    }
    for (const { path, service } of impliedDependencies(svc, at)) {
      if (!Object.hasOwn(services, service))
        fail(path, `service "${name}" depends on undefined service ${service}`);
    }
  }
  return errors;
}

/** Services named by links, volumes_from and `service:` namespaces, with where each is written. */
function impliedDependencies(
  svc: Doc,
  at: (...p: (string | number)[]) => DocPath,
): { path: DocPath; service: string }[] {
  const out: { path: DocPath; service: string }[] = [];
  for (const key of ["network_mode", "ipc", "pid", "uts", "cgroup"]) {
    const ns = svc[key];
    if (typeof ns === "string" && ns.startsWith("service:"))
      out.push({ path: at(key), service: ns.slice("service:".length) });
  }
  for (const key of ["links", "volumes_from"]) {
    const list = svc[key];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      if (typeof entry !== "string" || entry.startsWith("container:")) return;
      out.push({ path: at(key, i), service: entry.split(":")[0] ?? entry });
    });
  }
  return out;
}
