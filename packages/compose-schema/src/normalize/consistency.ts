import { isPlainObject } from "../canonical/context.js";
import type { EntryLocator } from "../entry-locator.js";
import { ComposeError, ErrorCodes } from "../errors.js";
import type { DocPath } from "../source.js";

type Doc = Record<string, unknown>;

/**
 * The references compose checks before running anything: every network, named volume, secret,
 * config and model a service uses must be defined at the top level, and every `depends_on` must name a service.
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
    if (svc.image === undefined && svc.build === undefined && svc.provider === undefined) {
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
    if (isPlainObject(svc.models)) {
      for (const model of Object.keys(svc.models)) {
        if (!defined("models", model))
          failAtEntry(at("models"), model, `service "${name}" refers to undefined model ${model}`);
      }
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

/**
 * Definitions compose refuses although the schema allows them: an external volume with its own
 * `driver`, `driver_opts` or `labels`; a secret with no `file` or `environment` to read; a healthcheck
 * test list that does not start with CMD, CMD-SHELL or NONE. Each is located at the offending key.
 */
export function checkDefinitions(doc: Doc, locator: EntryLocator): ComposeError[] {
  const errors: ComposeError[] = [];
  const fail = (path: DocPath, message: string, which: "key" | "value" = "value") =>
    errors.push(
      new ComposeError(ErrorCodes.invalidValue, message, { location: locator.locate(path, which) }),
    );
  const volumes = isPlainObject(doc.volumes) ? doc.volumes : {};
  for (const [name, volume] of Object.entries(volumes)) {
    if (!isPlainObject(volume) || !(volume.external === true || isPlainObject(volume.external))) continue;
    for (const key of ["driver", "driver_opts", "labels"]) {
      if (volume[key] !== undefined) {
        fail(
          ["volumes", name, key],
          `conflicting parameters "external" and "${key}" specified for volume "${name}": remove one`,
          "key",
        );
      }
    }
  }
  const secrets = isPlainObject(doc.secrets) ? doc.secrets : {};
  for (const [name, secret] of Object.entries(secrets)) {
    if (!isPlainObject(secret) || secret.external === true || isPlainObject(secret.external)) continue;
    if (secret.file === undefined && secret.environment === undefined) {
      fail(["secrets", name], `secret "${name}" must declare either \`file\` or \`environment\``, "key");
    }
  }
  const services = isPlainObject(doc.services) ? doc.services : {};
  for (const [name, svc] of Object.entries(services)) {
    const test = isPlainObject(svc) && isPlainObject(svc.healthcheck) ? svc.healthcheck.test : undefined;
    if (Array.isArray(test) && test.length > 0 && !["CMD", "CMD-SHELL", "NONE"].includes(String(test[0]))) {
      fail(
        ["services", name, "healthcheck", "test", 0],
        `healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE" (service "${name}")`,
      );
    }
  }
  return errors;
}
