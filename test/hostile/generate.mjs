#!/usr/bin/env node
/**
 * Writes the hostile corpus to test/hostile/cases/<id>/: compose.yaml (+ .env or other files),
 * case.json (category, what must happen) and, when the case needs them, args.json (project name,
 * --env-file, environment). Run `node test/hostile/generate.mjs` after changing the schema or this
 * script, and commit the result so that every case can be reviewed. `fuzz-*` folders (regressions
 * saved by test/fuzz) are kept.
 *
 * case.json: { category, description, expect: "load-error" | "engine-error" (| "no-crash", fuzz-* only),
 *   includes?: text the error message must contain, located?: false when the error has no file position,
 *   cli?: true to also run it through `berth up -d` }
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { toYaml } from "./yaml.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const casesDir = path.join(here, "cases");
const schemaFile = path.join(here, "../../packages/compose-schema/src/schema/compose-spec.schema.json");
const schema = JSON.parse(readFileSync(schemaFile, "utf8"));
const IMAGE = "berth-examples/busybox";

const cases = [];
/** files: { name: string | Buffer }; meta: case.json fields; args: args.json (optional). */
function add(id, category, description, files, meta, args) {
  if (typeof files === "string" || Buffer.isBuffer(files)) files = { "compose.yaml": files };
  cases.push({
    id: `${category}-${id}`,
    files,
    meta: { category, description, expect: "load-error", ...meta },
    args,
  });
}

// ---------------------------------------------------------------- schema walk: wrong types, unknown keys

const deref = (s) => {
  let cur = s;
  while (cur?.$ref)
    cur = cur.$ref
      .split("/")
      .slice(1)
      .reduce((o, k) => o[k], schema);
  return cur ?? {};
};

/** The JSON types a (sub)schema accepts; undefined when it accepts anything. */
function acceptedTypes(s) {
  const r = deref(s);
  const branches = r.anyOf ?? r.oneOf;
  if (branches) {
    const all = new Set();
    for (const b of branches) {
      const t = acceptedTypes(b);
      if (!t) return undefined;
      for (const x of t) all.add(x);
    }
    return all;
  }
  if (!r.type) return undefined;
  const types = new Set(Array.isArray(r.type) ? r.type : [r.type]);
  if (types.has("integer")) types.add("number");
  return types;
}

/** A value of the first type (in this order) the schema refuses: collections first, since loaders cast scalars. */
function wrongValue(types) {
  if (!types.has("object")) return { wrong: "type" };
  if (!types.has("array")) return ["wrong", "type"];
  if (!types.has("string")) return "wrong-type";
  if (!types.has("number")) return 12345;
  if (!types.has("boolean")) return true;
  return undefined;
}

const objectBranches = (s) => {
  const r = deref(s);
  const branches = r.anyOf ?? r.oneOf;
  if (branches) return branches.flatMap(objectBranches);
  const types = Array.isArray(r.type) ? r.type : [r.type];
  return types.includes("object") && (r.properties || r.additionalProperties) ? [r] : [];
};
const arrayBranches = (s) => {
  const r = deref(s);
  const branches = r.anyOf ?? r.oneOf;
  if (branches) return branches.flatMap(arrayBranches);
  return r.type === "array" && r.items ? [r] : [];
};

/** Valid stand-ins for required keys, so that a case has one fault only. */
const requiredSamples = {
  condition: "service_started",
  service: "base",
  soft: 1,
  hard: 2,
  path: "compose.other.yaml",
  action: "rebuild",
  source: "data",
  type: "volume",
  target: "/data",
  command: "true",
};

/** Names used where the schema has a map of user-chosen names. */
const mapKeys = { services: "app", networks: "net1", volumes: "vol1", secrets: "sec1", configs: "cfg1" };

const typed = [];
const closed = [];
/** `required[L]`: the required keys of the mapping at docPath.slice(0, L), filled with valid stand-ins. */
function walk(s, docPath, depth, required) {
  if (depth > 9) return;
  for (const obj of objectBranches(s)) {
    const here = Object.fromEntries((obj.required ?? []).map((k) => [k, requiredSamples[k] ?? "x"]));
    const req = { ...required, [docPath.length]: here };
    if (obj.additionalProperties === false) closed.push({ path: docPath, required: req });
    for (const [k, sub] of Object.entries(obj.properties ?? {})) {
      const p = [...docPath, k];
      const value = wrongFor(sub);
      if (value !== undefined) typed.push({ path: p, required: req, value });
      walk(sub, p, depth + 1, req);
    }
    if (obj.additionalProperties && typeof obj.additionalProperties === "object" && docPath.length > 0) {
      const p = [...docPath, mapKeys[docPath[docPath.length - 1]] ?? "item"];
      const value = wrongFor(obj.additionalProperties);
      if (value !== undefined) typed.push({ path: p, required: req, value });
      walk(obj.additionalProperties, p, depth + 1, req);
    }
  }
  for (const arr of arrayBranches(s)) {
    const p = [...docPath, 0];
    const value = wrongFor(arr.items);
    if (value !== undefined) typed.push({ path: p, required, value });
    walk(arr.items, p, depth + 1, required);
  }
}
const wrongFor = (sub) => {
  const types = acceptedTypes(sub);
  return types && wrongValue(types);
};
walk(schema, [], 0, {});

/** A document holding `leaf` at `docPath`, the required keys of every mapping on the way, and a service image. */
function docAt(docPath, leaf, required) {
  const build = (i) => {
    if (i === docPath.length) return leaf;
    const child = build(i + 1);
    if (typeof docPath[i] === "number") return [child];
    return { ...required[i], [docPath[i]]: child };
  };
  const doc = build(0);
  if (docPath[0] !== "services") doc.services = { app: { image: IMAGE } };
  else if (docPath.length >= 3 && docPath[2] !== "image")
    doc.services.app = { image: IMAGE, ...doc.services.app };
  return doc;
}

const dotted = (p) => p.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
const slug = (p) =>
  p
    .map(String)
    .join(".")
    .replace(/[^a-zA-Z0-9_.-]/g, "_");

const seen = new Set();
for (const { path: p, value, required } of typed) {
  const id = slug(p);
  if (seen.has(id)) continue;
  seen.add(id);
  add(id, "wrong-type", `${dotted(p)} set to ${JSON.stringify(value)}`, toYaml(docAt(p, value, required)), {
    includes: dotted(p),
  });
}

const svcDoc = () => ({ services: { app: { image: IMAGE } } });
const seenClosed = new Set();
for (const { path: p, required } of closed) {
  const id = slug(p) || "top";
  if (seenClosed.has(id)) continue;
  seenClosed.add(id);
  const faulty = {
    ...required[p.length],
    bogus_key: 1,
    ...(p[0] === "services" && p.length === 2 ? { image: IMAGE } : {}),
  };
  const doc = p.length === 0 ? { ...svcDoc(), ...faulty } : docAt(p, faulty, required);
  add(id, "unknown-key", `unknown key bogus_key in ${dotted(p) || "the top level"}`, toYaml(doc), {
    includes: "bogus_key",
  });
}
// ---------------------------------------------------------------- hand-written cases

const svc = (extra = "") => `services:\n  app:\n    image: ${IMAGE}\n${extra}`;

const yamlSyntax = {
  "unclosed-flow-seq": "services:\n  app:\n    image: [x\n",
  "unclosed-flow-map": "services: {app: {image: x}\n",
  "unclosed-double-quote": 'services:\n  app:\n    image: "busybox\n',
  "unclosed-single-quote": "services:\n  app:\n    image: 'busybox\n",
  "tab-indent": "services:\n\tapp:\n\t\timage: x\n",
  "bad-indent": "services:\n  app:\n    image: x\n   command: true\n",
  "duplicate-key-top": "services:\n  app:\n    image: x\nservices:\n  b:\n    image: x\n",
  "duplicate-key-service": "services:\n  app:\n    image: x\n    image: y\n",
  "duplicate-service": "services:\n  app:\n    image: x\n  app:\n    image: y\n",
  "top-level-list": "- services\n- app\n",
  "top-level-scalar": "just a string\n",
  "top-level-number": "42\n",
  "undefined-alias": "services:\n  app: *nothing\n",
  "alias-to-later-anchor": "services:\n  app: *later\nx-later: &later\n  image: x\n",
  "bad-anchor-char": "services:\n  app: &\n    image: x\n",
  "unknown-directive": "%FOO bar\n---\nservices: {}\n",
  "yaml-1.3-directive": "%YAML 1.3\n---\nservices: {}\n",
  "block-scalar-bad-indicator": "services:\n  app:\n    image: x\n    command: |x\n      echo\n",
  "colon-in-plain-key": "services:\n  app:\n    image: x\n    labels:\n      a: b: c\n",
  "mapping-in-sequence-bad": "services:\n  app:\n    image: x\n    ports:\n      - 80\n      ports: 1\n",
  "only-colon": ":\n",
  "stray-closing-bracket": "services:\n  app:\n    image: x]\n    ports: ]\n",
  "complex-key": "? [a, b]\n: c\nservices: {}\n",
  "null-key": "~: x\nservices: {}\n",
  "number-service-name": "services:\n  123:\n    image: x\n",
  "bool-key": "services:\n  app:\n    image: x\n    true: 1\n",
  "merge-key-non-map": "services:\n  app:\n    <<: 5\n    image: x\n",
  "recursive-alias": "x-a: &a\n  k: *a\nservices:\n  app:\n    image: x\n",
  "recursive-merge-key": "x-a: &a\n  k:\n    <<: *a\nservices:\n  app:\n    image: x\n",
  "merge-key-undefined-alias": "services:\n  app:\n    <<: *missing\n    image: x\n",
  "unterminated-block-in-flow": "services: [\n  - a\n",
  "reset-tag-on-top": "!reset\nservices: {}\n",
  "unknown-tag": "services:\n  app:\n    image: !!binary x\n",
  "invalid-escape": 'services:\n  app:\n    image: "\\q"\n',
  "nul-byte": "services:\n  app:\n    image: x\u0000y\n",
  "control-char": "services:\n  app:\n    image: x\u0007\n",
};
for (const [id, text] of Object.entries(yamlSyntax)) add(id, "yaml-syntax", id.replaceAll("-", " "), text);

// Services, networks... whose value is not a mapping, and names the schema refuses.
const shapes = {
  "services-null-service": "services:\n  app:\n",
  "services-string": "services: app\n",
  "services-list": "services:\n  - app\n",
  "service-name-space": `services:\n  "my app":\n    image: x\n`,
  "service-name-slash": `services:\n  "a/b":\n    image: x\n`,
  "service-name-empty": `services:\n  "":\n    image: x\n`,
  "service-name-unicode": `services:\n  "sérvice":\n    image: x\n`,
  "network-name-space": `${svc()}networks:\n  "my net": {}\n`,
  "volume-name-colon": `${svc()}volumes:\n  "a:b": {}\n`,
  "ulimit-name-upper": svc("    ulimits:\n      NOFILE: 1\n"),
  "no-image-no-build": "services:\n  app:\n    command: [sh]\n",
  "container-name-invalid": svc('    container_name: "-bad name"\n'),
  "port-out-of-range": svc('    ports:\n      - "70000:80"\n'),
  "port-garbage": svc('    ports:\n      - "eighty:80"\n'),
  "port-negative": svc("    ports:\n      - -1\n"),
  "restart-bad": svc("    restart: sometimes\n"),
  "pull-policy-bad": svc("    pull_policy: perhaps\n"),
  "mem-limit-negative": svc('    mem_limit: "-1g"\n'),
  "duration-bad": svc("    stop_grace_period: 10 minutes\n"),
  "volume-short-empty": svc('    volumes:\n      - ""\n'),
  "volume-bad-mode": svc('    volumes:\n      - "./a:/b:xyz"\n'),
  "env-list-item-not-string": svc("    environment:\n      - [A, B]\n"),
  "labels-duplicate-list": svc("    labels:\n      - a=1\n      - a=1\n"),
  "depends-on-duplicate": `${svc("    depends_on:\n      - db\n      - db\n")}  db:\n    image: x\n`,
  "healthcheck-test-bad-first": svc("    healthcheck:\n      test: [FOO, x]\n"),
  "scale-negative": svc("    scale: -1\n"),
  "replicas-negative": svc("    deploy:\n      replicas: -3\n"),
  "external-with-driver": `${svc()}volumes:\n  vol1:\n    external: true\n    driver: local\n`,
  "secret-no-source": `${svc("    secrets: [sec1]\n")}secrets:\n  sec1: {}\n`,
  "version-mapping": `version:\n  a: 1\n${svc()}`,
};
for (const [id, text] of Object.entries(shapes)) add(id, "bad-value", id.replaceAll("-", " "), text);

const interpolation = {
  unclosed: "${IMG",
  "empty-braces": "${}",
  "bad-name": "${1abc}",
  "space-in-name": "${A B}",
  "bad-operator": "${A!x}",
  "nested-unclosed": "${A:-${B}",
  "only-dollar-brace": "$" + "{",
  "double-colon": "${A::-x}",
  "bad-dash-name": "${-A}",
  "unicode-name": "${ÄPFEL}",
  "question-unclosed": "${A:?msg",
};
for (const [id, expr] of Object.entries(interpolation))
  add(id, "interpolation", `image: ${expr}`, `services:\n  app:\n    image: ${JSON.stringify(expr)}\n`, {
    includes: "interpolat",
  });
add("in-port", "interpolation", "a bad expression in a port", svc('    ports:\n      - "${P:80"\n'));
add("in-env-file", "interpolation", "a bad expression in .env", {
  "compose.yaml": svc("    environment:\n      A: $X\n"),
  ".env": "X=${Y\n",
});

const missing = {
  "required-image": 'image: "${IMG:?set IMG}"',
  "required-no-message": 'image: "${IMG?}"',
  "required-empty": 'image: "${IMG:?must not be empty}"',
  "required-in-port": 'image: x\n    ports:\n      - "${PORT:?}:80"',
  "required-in-env": 'image: x\n    environment:\n      A: "${A?A is needed}"',
  "required-nested": 'image: "${A:-${B:?B is needed}}"',
  "required-in-network": 'image: x\n    networks: ["${NET:?}"]',
};
for (const [id, body] of Object.entries(missing))
  add(id, "missing-variable", id.replaceAll("-", " "), `services:\n  app:\n    ${body}\n`, {
    includes: "required variable",
  });
add(
  "required-empty-from-env",
  "missing-variable",
  "IMG is set but empty",
  'services:\n  app:\n    image: "${IMG:?}"\n',
  { includes: "IMG" },
  { env: { IMG: "" } },
);
add("required-empty-in-dotenv", "missing-variable", ".env sets IMG to nothing", {
  "compose.yaml": 'services:\n  app:\n    image: "${IMG:?}"\n',
  ".env": "IMG=\n",
});

// The loader accepts dependency cycles, as compose's loader does; `up` must refuse them before creating anything.
const cycle = (pairs) =>
  `services:\n${pairs.map(([s, deps]) => `  ${s}:\n    image: ${IMAGE}\n    depends_on: [${deps}]\n`).join("")}`;
add(
  "two",
  "cycle",
  "a depends on b, b on a",
  cycle([
    ["a", "b"],
    ["b", "a"],
  ]),
  { expect: "engine-error", includes: "cycle" },
);
add("self", "cycle", "a depends on itself", cycle([["a", "a"]]), {
  expect: "engine-error",
  includes: "cycle",
});
add(
  "three",
  "cycle",
  "a -> b -> c -> a",
  cycle([
    ["a", "b"],
    ["b", "c"],
    ["c", "a"],
  ]),
  {
    expect: "engine-error",
    includes: "cycle",
  },
);
add(
  "extends-two",
  "cycle",
  "extends cycle",
  "services:\n  a:\n    image: x\n    extends: b\n  b:\n    extends: a\n",
  {
    includes: "cycle",
  },
);
add("extends-self", "cycle", "a service extends itself", "services:\n  a:\n    image: x\n    extends: a\n", {
  includes: "cycle",
});
add("extends-file", "cycle", "extends across two files", {
  "compose.yaml": "services:\n  a:\n    extends:\n      file: other.yaml\n      service: b\n",
  "other.yaml": "services:\n  b:\n    extends:\n      file: compose.yaml\n      service: a\n",
});
add("include-self", "cycle", "a file includes itself", `include:\n  - compose.yaml\n${svc()}`, {
  includes: "include",
});
add("include-loop", "cycle", "two files include each other", {
  "compose.yaml": `include:\n  - other.yaml\n${svc()}`,
  "other.yaml": "include:\n  - compose.yaml\nservices:\n  b:\n    image: x\n",
});

const missingRef = {
  "depends-on": svc("    depends_on: [nope]\n"),
  "depends-on-long": svc("    depends_on:\n      nope:\n        condition: service_healthy\n"),
  network: svc("    networks: [nope]\n"),
  volume: svc("    volumes:\n      - nope:/data\n"),
  secret: svc("    secrets: [nope]\n"),
  config: svc("    configs: [nope]\n"),
  "network-mode-service": svc("    network_mode: service:nope\n"),
  "volumes-from": svc("    volumes_from: [nope]\n"),
  links: svc("    links: [nope]\n"),
  "extends-service": svc("    extends: nope\n"),
  "extends-file": svc("    extends:\n      file: nope.yaml\n      service: x\n"),
  include: `include:\n  - nope/compose.yaml\n${svc()}`,
  "env-file": svc("    env_file: nope.env\n"),
  "env-file-list": svc("    env_file:\n      - nope.env\n"),
  "ipc-service": svc("    ipc: service:nope\n"),
  "pid-service": svc("    pid: service:nope\n"),
};
for (const [id, text] of Object.entries(missingRef))
  add(id, "missing-reference", `undefined ${id}`, text, { includes: "nope" });

// Engine-level faults: the files load; `berth up` must fail and name the service.
// HOSTILE_ID and HOSTILE_PORT are set by the test, so that parallel runs never share a name or a port.
const sleeper = (extra) => `    image: ${IMAGE}\n    command: [sleep, "300"]\n${extra}`;
add(
  "container-name",
  "duplicate",
  "two services with one container_name",
  `services:\n  a:\n${sleeper('    container_name: "${HOSTILE_ID:?}"\n')}  b:\n${sleeper('    container_name: "${HOSTILE_ID:?}"\n')}`,
  { expect: "engine-error", includes: "container" },
);
add(
  "host-port",
  "duplicate",
  "two services publish one host port",
  `services:\n  a:\n${sleeper('    ports: ["${HOSTILE_PORT:?}:80"]\n')}  b:\n${sleeper('    ports: ["${HOSTILE_PORT:?}:80"]\n')}`,
  { expect: "engine-error", includes: "port" },
);

const badNames = ["Upper", "with space", "-leading-dash", "_leading-underscore", "dot.ted", "émoji✓", "a/b"];
badNames.forEach((name, i) => {
  add(
    `name-${i}`,
    "project-name",
    `name: ${JSON.stringify(name)}`,
    `name: ${JSON.stringify(name)}\n${svc()}`,
    {
      includes: "project name",
    },
  );
  // -p bypasses the file; a usage-like error, but compose exits 1 for it (see README).
  add(
    `flag-${i}`,
    "project-name",
    `-p ${JSON.stringify(name)}`,
    svc(),
    { includes: "project name", located: false },
    {
      projectName: name,
    },
  );
});
add(
  "env-var",
  "project-name",
  "COMPOSE_PROJECT_NAME=Bad Name",
  svc(),
  { includes: "project name", located: false },
  {
    env: { COMPOSE_PROJECT_NAME: "Bad Name" },
  },
);
add(
  "interpolated",
  "project-name",
  "name: from a variable that makes it invalid",
  `name: "\${N}"\n${svc()}`,
  {
    includes: "project name",
  },
  { env: { N: "NOT VALID" } },
);

// Paths out of the project directory: compose allows `../`; a missing target must be a clear error.
add("env-file-missing", "path-escape", "env_file: ../../nope.env", svc("    env_file: ../../nope.env\n"), {
  includes: "nope.env",
});
add(
  "env-file-deep-missing",
  "path-escape",
  "env_file far up",
  svc(`    env_file: ${"../".repeat(40)}nope.env\n`),
  {
    includes: "nope.env",
  },
);
add("env-file-is-dir", "path-escape", "env_file: .. (a directory)", svc("    env_file: ..\n"), {
  includes: "env",
});
add("env-file-absolute-dir", "path-escape", "env_file: / (a directory)", svc("    env_file: /\n"), {
  includes: "env",
});
add(
  "extends-file-up",
  "path-escape",
  "extends a missing file above",
  svc("    extends:\n      file: ../../nope.yaml\n      service: x\n"),
  {
    includes: "nope.yaml",
  },
);
add("include-up", "path-escape", "include a missing file above", `include:\n  - ../../nope.yaml\n${svc()}`, {
  includes: "nope.yaml",
});
add(
  "env-file-flag-missing",
  "path-escape",
  "--env-file ../nope.env",
  svc(),
  { located: false, includes: "nope.env" },
  {
    envFiles: ["../nope.env"],
  },
);
add(
  "env-file-flag-dir",
  "path-escape",
  "--env-file pointing at a directory",
  svc(),
  { located: false },
  {
    envFiles: [".."],
  },
);

// Alias bombs: each level multiplies by nine.
const bomb = (levels, width = 9) => {
  const lines = [`x-0: &a0 [${Array(width).fill('"lol"').join(",")}]`];
  for (let i = 1; i < levels; i++)
    lines.push(
      `x-${i}: &a${i} [${Array(width)
        .fill(`*a${i - 1}`)
        .join(",")}]`,
    );
  return `${lines.join("\n")}\n${svc()}`;
};
add("nine-levels", "alias-bomb", "9^9 expansions", bomb(9), { includes: "alias" });
add("twelve-levels", "alias-bomb", "9^12 expansions", bomb(12), { includes: "alias" });
add(
  "wide",
  "alias-bomb",
  "one anchor used 12 000 times",
  `x-a: &a [1]\nx-b: [${Array(12_000).fill("*a").join(",")}]\n${svc()}`,
  {
    includes: "alias",
  },
);
add(
  "in-service",
  "alias-bomb",
  "the bomb inside a service's labels",
  `x-0: &a0 {a: "lol", b: "lol", c: "lol", d: "lol"}\nx-1: &a1 [${Array(9).fill("*a0").join(",")}]\n` +
    Array.from(
      { length: 8 },
      (_, i) =>
        `x-${i + 2}: &a${i + 2} [${Array(9)
          .fill(`*a${i + 1}`)
          .join(",")}]\n`,
    ).join("") +
    "services:\n  app:\n    image: x\n    labels: *a9\n",
  { includes: "alias" },
);
add(
  "merge-keys",
  "alias-bomb",
  "merge keys nested nine deep",
  (() => {
    let s = 'x-0: &m0 {a: "lol"}\n';
    for (let i = 1; i < 10; i++)
      s += `x-${i}: &m${i}\n${Array.from({ length: 9 }, (_, k) => `  k${k}:\n    <<: *m${i - 1}\n`).join("")}`;
    return `${s}${svc()}`;
  })(),
  { includes: "alias" },
);

// Bytes that are not UTF-8.
const bytes = (...parts) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));
const nonUtf8 = {
  "latin1-value": bytes("services:\n  app:\n    image: caf", [0xe9], "\n"),
  "latin1-key": bytes("services:\n  caf", [0xe9], ":\n    image: x\n"),
  "latin1-comment": bytes("# caf", [0xe9], "\nservices:\n  app:\n    image: x\n"),
  "lone-continuation": bytes("services:\n  app:\n    image: x", [0x80], "\n"),
  overlong: bytes("services:\n  app:\n    image: x", [0xc0, 0xaf], "\n"),
  "truncated-sequence": bytes("services:\n  app:\n    image: x", [0xe2, 0x82], "\n"),
  "encoded-surrogate": bytes("services:\n  app:\n    image: x", [0xed, 0xa0, 0x80], "\n"),
  "above-unicode": bytes("services:\n  app:\n    image: x", [0xf4, 0x90, 0x80, 0x80], "\n"),
  "utf16le-bom": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${svc()}`, "utf16le")]),
};
for (const [id, content] of Object.entries(nonUtf8))
  add(
    id,
    "non-utf8",
    id.replaceAll("-", " "),
    Buffer.isBuffer(content) ? { "compose.yaml": content } : content,
    {
      includes: "UTF-8",
    },
  );

add(
  "dotenv-bad-line",
  "environment",
  "a .env line that is not NAME=value",
  {
    "compose.yaml": svc(),
    ".env": "this is not a variable\n",
  },
  { includes: ".env" },
);
add(
  "dotenv-unclosed-quote",
  "environment",
  "a .env value with an unclosed quote",
  {
    "compose.yaml": svc(),
    ".env": 'A="unclosed\n',
  },
  { includes: ".env" },
);
add(
  "env-file-bad-line",
  "environment",
  "an env_file line that is not NAME=value",
  {
    "compose.yaml": svc("    env_file: app.env\n"),
    "app.env": "=no-name\n",
  },
  { includes: "app.env" },
);
add("empty-file", "environment", "an empty compose file", "", { includes: "service" });

// Some of every category go through the real CLI as well.
const cliSample = new Set([
  "yaml-syntax-unclosed-flow-seq",
  "yaml-syntax-tab-indent",
  "yaml-syntax-duplicate-key-service",
  "yaml-syntax-top-level-list",
  "wrong-type-services.app.ports",
  "wrong-type-services.app.build.args",
  "wrong-type-services.app.healthcheck.retries",
  "wrong-type-services.app.deploy.resources.limits.memory",
  "wrong-type-networks.net1.ipam.config",
  "wrong-type-volumes.vol1.driver_opts",
  "unknown-key-services.app",
  "unknown-key-top",
  "unknown-key-services.app.deploy",
  "bad-value-port-out-of-range",
  "bad-value-no-image-no-build",
  "bad-value-service-name-space",
  "interpolation-unclosed",
  "interpolation-in-env-file",
  "missing-variable-required-image",
  "missing-variable-required-empty-from-env",
  "cycle-two",
  "cycle-self",
  "cycle-three",
  "cycle-extends-two",
  "missing-reference-depends-on",
  "missing-reference-network",
  "missing-reference-secret",
  "missing-reference-env-file",
  "duplicate-container-name",
  "duplicate-host-port",
  "project-name-name-0",
  "project-name-flag-1",
  "project-name-env-var",
  "path-escape-env-file-missing",
  "path-escape-env-file-flag-missing",
  "alias-bomb-twelve-levels",
  "non-utf8-latin1-value",
  "non-utf8-utf16le-bom",
  "environment-dotenv-bad-line",
  "environment-empty-file",
]);

// ---------------------------------------------------------------- write

/** JSON as biome formats it: one-string arrays stay on one line. */
const json = (v) => `${JSON.stringify(v, null, 2).replace(/\[\n\s+("[^"\n]*")\n\s+\]/g, "[$1]")}\n`;

function main() {
  mkdirSync(casesDir, { recursive: true });
  for (const d of readdirSync(casesDir))
    if (!d.startsWith("fuzz-")) rmSync(path.join(casesDir, d), { recursive: true });
  const missingSample = [...cliSample].filter((id) => !cases.some((c) => c.id === id));
  if (missingSample.length > 0)
    throw new Error(`CLI sample names unknown cases: ${missingSample.join(", ")}`);
  for (const c of cases) {
    const dir = path.join(casesDir, c.id);
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(c.files)) writeFileSync(path.join(dir, name), content);
    const meta = cliSample.has(c.id) ? { ...c.meta, cli: true } : c.meta;
    writeFileSync(path.join(dir, "case.json"), json(meta));
    if (c.args) writeFileSync(path.join(dir, "args.json"), json(c.args));
  }
  const byCategory = {};
  for (const c of cases) byCategory[c.meta.category] = (byCategory[c.meta.category] ?? 0) + 1;
  console.log(`${cases.length} cases`, byCategory);
}

main();
