import { ComposeError, ErrorCodes } from "./errors.js";
import { setOwn } from "./own-key.js";
import { type DocPath, type SourceFile, formatPath, pathMatches } from "./source.js";
import { OverrideTag } from "./tags.js";

/** Variables by name, or a function that looks one up (`undefined`: not set). */
export type VarLookup = Readonly<Record<string, string>> | ((name: string) => string | undefined);

/** Why a template could not be expanded; turned into a located `ComposeError` by the caller. */
class TemplateFault extends Error {
  constructor(
    readonly kind: "syntax" | "missing",
    readonly variable = "",
    readonly reason = "",
  ) {
    super(kind);
  }
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
const BRACED = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-+?])([\s\S]*))?$/;

function toGetter(vars: VarLookup): (name: string) => string | undefined {
  return typeof vars === "function" ? vars : (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
}

/**
 * Index of the `}` closing the `${` at `start`. Every nested `${` opens a level, even after a `$` (so the
 * escaped `$${A}` inside a default is kept whole), as compose counts them.
 */
function closingBrace(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    if (s.startsWith("${", i)) {
      depth++;
      i++;
    } else if (s[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function substitute(
  s: string,
  get: (name: string) => string | undefined,
  onMissing: (name: string) => void,
  checkOnly = false,
): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const dollar = s.indexOf("$", i);
    if (dollar < 0) return out + s.slice(i);
    out += s.slice(i, dollar);
    const next = s[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
    } else if (next === "{") {
      const close = closingBrace(s, dollar);
      if (close < 0) throw new TemplateFault("syntax");
      out += expandBraced(s.slice(dollar + 2, close), get, onMissing, checkOnly);
      i = close + 1;
    } else {
      const name = NAME.exec(s.slice(dollar + 1))?.[0];
      if (name) {
        const value = get(name);
        if (value === undefined) onMissing(name);
        out += value ?? "";
        i = dollar + 1 + name.length;
      } else {
        // A `$` not followed by a name is kept as written, as compose does.
        out += "$";
        i = dollar + 1;
      }
    }
  }
  return out;
}

/**
 * Expands the inside of `${...}`. The operand is expanded only when it is used (an unused one is still
 * checked, so a syntax error is reported wherever it is). `checkOnly` finds syntax errors and nothing else.
 */
function expandBraced(
  body: string,
  get: (name: string) => string | undefined,
  onMissing: (name: string) => void,
  checkOnly: boolean,
): string {
  const m = BRACED.exec(body);
  if (!m) throw new TemplateFault("syntax");
  const [, name, op, operand = ""] = m as unknown as [string, string, string | undefined, string | undefined];
  const value = get(name);
  if (op === undefined) {
    if (value === undefined) onMissing(name);
    return value ?? "";
  }
  const unset = value === undefined;
  const unsetOrEmpty = unset || value === "";
  const useOperand = {
    ":-": unsetOrEmpty,
    "-": unset,
    ":+": !unsetOrEmpty,
    "+": !unset,
    ":?": unsetOrEmpty,
    "?": unset,
  }[op]!;
  const quiet = checkOnly || !useOperand;
  const expanded = substitute(operand, get, quiet ? () => {} : onMissing, quiet);
  if (checkOnly) return "";
  if (op.endsWith("?")) {
    if (useOperand) throw new TemplateFault("missing", name, expanded);
    return value!;
  }
  if (op.endsWith("-")) return useOperand ? expanded : value!;
  return useOperand ? expanded : "";
}

type Cast = (s: string, warn: (message: string) => void) => unknown;

const INTEGER = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

const toInt: Cast = (s) => (INTEGER.test(s) ? Number(s) : s);
const toFloat: Cast = (s) => (FLOAT.test(s) ? Number(s) : s);
/** File modes: `0440` is octal, as in the Compose Specification. */
const toMode: Cast = (s) => (/^0[0-7]+$/.test(s) ? Number.parseInt(s, 8) : toInt(s, () => {}));
const toBool: Cast = (s, warn) => {
  const lower = s.toLowerCase();
  if (lower === "true" || lower === "false") return lower === "true";
  const yaml11 = ["y", "yes", "on", "n", "no", "off"].indexOf(lower);
  if (yaml11 < 0) return s;
  const value = yaml11 < 3;
  warn(`"${s}" for boolean is not supported by YAML 1.2, please use \`${value}\``);
  return value;
};

/**
 * Paths (`*`: any key, `[]`: any list index) where compose turns interpolated strings into numbers and
 * booleans, so that `replicas: ${N}` validates as an integer. A string that does not convert is left for
 * the schema validation to report.
 */
const CASTS: [readonly string[], Cast][] = [
  ...(
    [
      [["configs", "[]", "mode"], toMode],
      [["secrets", "[]", "mode"], toMode],
      [["cpu_count"], toInt],
      [["cpu_percent"], toFloat],
      [["cpu_period"], toInt],
      [["cpu_quota"], toInt],
      [["cpu_rt_period"], toInt],
      [["cpu_rt_runtime"], toInt],
      [["cpus"], toFloat],
      [["cpu_shares"], toInt],
      [["mem_swappiness"], toInt],
      [["oom_score_adj"], toInt],
      [["pids_limit"], toInt],
      [["scale"], toInt],
      [["deploy", "replicas"], toInt],
      [["deploy", "update_config", "parallelism"], toInt],
      [["deploy", "update_config", "max_failure_ratio"], toFloat],
      [["deploy", "rollback_config", "parallelism"], toInt],
      [["deploy", "rollback_config", "max_failure_ratio"], toFloat],
      [["deploy", "restart_policy", "max_attempts"], toInt],
      [["deploy", "placement", "max_replicas_per_node"], toInt],
      [["healthcheck", "retries"], toInt],
      [["healthcheck", "disable"], toBool],
      [["ports", "[]", "target"], toInt],
      [["ulimits", "*"], toInt],
      [["ulimits", "*", "hard"], toInt],
      [["ulimits", "*", "soft"], toInt],
      [["attach"], toBool],
      [["init"], toBool],
      [["oom_kill_disable"], toBool],
      [["privileged"], toBool],
      [["read_only"], toBool],
      [["stdin_open"], toBool],
      [["tty"], toBool],
      [["build", "no_cache"], toBool],
      [["build", "pull"], toBool],
      [["build", "privileged"], toBool],
      [["pre_start", "[]", "privileged"], toBool],
      [["pre_start", "[]", "per_replica"], toBool],
      [["depends_on", "*", "required"], toBool],
      [["depends_on", "*", "restart"], toBool],
      [["env_file", "[]", "required"], toBool],
      [["volumes", "[]", "read_only"], toBool],
      [["volumes", "[]", "bind", "create_host_path"], toBool],
      [["volumes", "[]", "volume", "nocopy"], toBool],
    ] as [string[], Cast][]
  ).map(([p, cast]): [string[], Cast] => [["services", "*", ...p], cast]),
  [["networks", "*", "external"], toBool],
  [["networks", "*", "internal"], toBool],
  [["networks", "*", "attachable"], toBool],
  [["networks", "*", "enable_ipv6"], toBool],
  [["volumes", "*", "external"], toBool],
  [["secrets", "*", "external"], toBool],
  [["configs", "*", "external"], toBool],
  [["models", "*", "context_size"], toInt],
];

/**
 * CASTS by the length of their path and its last segment (`*` and `[]` patterns under their own keys),
 * so that most strings are checked against none.
 */
const castIndex = new Map<string, [readonly string[], Cast][]>();
for (const entry of CASTS) {
  const key = `${entry[0].length}:${entry[0][entry[0].length - 1]}`;
  const list = castIndex.get(key) ?? [];
  list.push(entry);
  castIndex.set(key, list);
}

function castForPath(value: string, path: DocPath, warn: (message: string) => void): unknown {
  const last = path[path.length - 1];
  const cast =
    castAt(`${path.length}:${typeof last === "number" ? "[]" : last}`, path) ??
    (typeof last === "string" ? castAt(`${path.length}:*`, path) : undefined);
  return cast ? cast(value, warn) : value;
}

function castAt(key: string, path: DocPath): Cast | undefined {
  return castIndex.get(key)?.find(([pattern]) => pathMatches(pattern, path))?.[1];
}

function missingMessage(fault: TemplateFault): string {
  const base = `required variable ${fault.variable} is missing a value`;
  return fault.reason ? `${base}: ${fault.reason}` : base;
}

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+replacement}`, `${VAR+replacement}` (nestable) and `$$` in one string. Throws a `ComposeError`
 * (without location: the caller knows where the string came from) for bad syntax or a missing required variable.
 */
export function interpolateString(
  s: string,
  vars: VarLookup,
  onMissing: (name: string) => void = () => {},
): string {
  try {
    return substitute(s, toGetter(vars), onMissing);
  } catch (err) {
    if (!(err instanceof TemplateFault)) throw err;
    if (err.kind === "missing") throw new ComposeError(ErrorCodes.missingVariable, missingMessage(err));
    throw new ComposeError(
      ErrorCodes.interpolation,
      `invalid interpolation format in ${JSON.stringify(s)}: you may need to escape any $ with another $`,
    );
  }
}

/**
 * Returns a copy of `data` (one parsed file) with every string value interpolated; keys are left as
 * written. Strings at paths where compose expects a number or a boolean are then cast to it.
 */
export function interpolateFile(
  source: SourceFile,
  data: unknown,
  vars: Record<string, string>,
): { data: unknown; errors: ComposeError[]; warnings: string[] } {
  const get = toGetter(vars);
  const errors: ComposeError[] = [];
  const warnings: string[] = [];
  const warned = new Set<string>();
  const onMissing = (name: string) => {
    if (warned.has(name)) return;
    warned.add(name);
    warnings.push(`The "${name}" variable is not set. Defaulting to a blank string.`);
  };

  const interpolateValue = (value: string, path: DocPath): unknown => {
    let expanded = value;
    if (value.includes("$")) {
      try {
        expanded = substitute(value, get, onMissing);
      } catch (err) {
        if (!(err instanceof TemplateFault)) throw err;
        const location = source.locate(path);
        errors.push(
          err.kind === "missing"
            ? new ComposeError(ErrorCodes.missingVariable, missingMessage(err), { location })
            : new ComposeError(
                ErrorCodes.interpolation,
                `invalid interpolation format for ${formatPath(path)}: ${JSON.stringify(value)}; you may need to escape any $ with another $`,
                { location },
              ),
        );
        return value;
      }
    }
    return castForPath(expanded, path, (w) => warnings.push(w));
  };

  // One path, pushed and popped as the walk goes: a copy per node would be most of the allocation.
  const path: (string | number)[] = [];
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return interpolateValue(value, path);
    if (value instanceof OverrideTag) return new OverrideTag(walk(value.value));
    if (Array.isArray(value)) {
      return value.map((item, i) => {
        path.push(i);
        const out = walk(item);
        path.pop();
        return out;
      });
    }
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value)) {
        path.push(k);
        setOwn(out, k, walk((value as Record<string, unknown>)[k]));
        path.pop();
      }
      return out;
    }
    return value;
  };

  return { data: walk(data), errors, warnings };
}
