/**
 * What Berth reads of a Dockerfile before building it: the `# syntax=` directive, the constructs the
 * engine's built-in frontend (older than dockerfile 1.4) cannot parse, and the line of an instruction.
 */

export interface Instruction {
  /** 1-based line of the instruction's first line. */
  line: number;
  /** Upper-cased keyword: RUN, COPY… */
  keyword: string;
  /** The instruction with its continuation lines joined and whitespace runs collapsed. */
  text: string;
  /** The instruction's raw first line, where a heredoc marker shows. */
  firstLine: string;
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/;

/** The parser directives at the top of the file (`syntax`, `escape`), keys lower-cased. */
export function directives(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = DIRECTIVE.exec(line.trim());
    if (!m) break;
    found.set(m[1].toLowerCase(), m[2]);
  }
  return found;
}

/** The frontend image a `# syntax=` line names, if any. */
export function syntaxFrontend(text: string): string | undefined {
  return directives(text).get("syntax") || undefined;
}

/** The instructions, with continuation lines (ending in the escape character) joined. */
export function instructions(text: string): Instruction[] {
  const escapeChar = directives(text).get("escape") === "`" ? "`" : "\\";
  const lines = text.split(/\r?\n/);
  const out: Instruction[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i];
    const trimmed = first.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      i++;
      continue;
    }
    const start = i;
    let joined = "";
    for (;;) {
      const raw = lines[i++] ?? "";
      const t = raw.trimEnd();
      // Comment lines inside a continued instruction are dropped, as the parser does.
      if (i - 1 > start && t.trim().startsWith("#")) continue;
      if (t.endsWith(escapeChar) && i < lines.length) {
        joined += `${t.slice(0, -1)} `;
        continue;
      }
      joined += t;
      break;
    }
    const collapsed = joined.trim().replace(/\s+/g, " ");
    const keyword = collapsed.split(" ", 1)[0].toUpperCase();
    out.push({ line: start + 1, keyword, text: collapsed, firstLine: first });
    // A heredoc's body is not instructions: skip to its terminator.
    const heredoc = heredocMarker(first);
    if (heredoc && /^(RUN|COPY|ADD)$/.test(keyword)) {
      while (i < lines.length && lines[i].replace(/^\t+/, "").trimEnd() !== heredoc) i++;
      i++;
    }
  }
  return out;
}

/** `<<EOT`, `<<-EOT`, `<<"EOT"` starting a word outside quotes. */
function heredocMarker(line: string): string | undefined {
  const unquoted = line.replace(/(^|\s)(['"])[^'"]*\2/g, "$1");
  const m = /(?:^|\s)<<-?(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(unquoted);
  return m?.[2];
}

export interface NewerConstruct {
  /** `COPY --link`, `heredoc (RUN <<EOT)`, `COPY --from=deps (a named context)` */
  construct: string;
  line: number;
}

/**
 * Constructs that need Dockerfile frontend 1.4 or later. `namedContexts` are the names of the service's
 * `additional_contexts`: a `--from` or `FROM` naming one of them uses a named context.
 */
export function newerFrontendConstructs(
  text: string,
  namedContexts: readonly string[] = [],
): NewerConstruct[] {
  const found: NewerConstruct[] = [];
  const stages = new Set<string>();
  for (const ins of instructions(text)) {
    const words = ins.text.split(" ");
    if (ins.keyword === "FROM") {
      const base = words.slice(1).find((w) => !w.startsWith("--"));
      if (base && namedContexts.includes(base))
        found.push({ construct: `FROM ${base} (a named context)`, line: ins.line });
      const as = words.findIndex((w) => w.toUpperCase() === "AS");
      if (as !== -1 && words[as + 1]) stages.add(words[as + 1].toLowerCase());
    }
    if ((ins.keyword === "COPY" || ins.keyword === "ADD") && words.some((w) => /^--link(=|$)/.test(w)))
      found.push({ construct: `${ins.keyword} --link`, line: ins.line });
    if (ins.keyword === "COPY" || ins.keyword === "RUN") {
      for (const w of words) {
        const m = /^--from=(.+)$/.exec(w) ?? /(?:^|,)from=([^,]+)/.exec(w.startsWith("--mount=") ? w : "");
        if (m && namedContexts.includes(m[1]) && !stages.has(m[1].toLowerCase()))
          found.push({ construct: `${ins.keyword} --from=${m[1]} (a named context)`, line: ins.line });
      }
    }
    if (/^(RUN|COPY|ADD)$/.test(ins.keyword) && heredocMarker(ins.firstLine))
      found.push({ construct: `heredoc (${ins.keyword} <<${heredocMarker(ins.firstLine)})`, line: ins.line });
  }
  return found;
}

/**
 * The line of the instruction a BuildKit step names (`[stage 3/7] RUN npm ci` → its `RUN npm ci`):
 * BuildKit on this engine reports no source location, so the step's text is looked up. The step shows
 * build arguments expanded, so each `$VAR` / `${VAR}` of the instruction matches any text.
 */
export function instructionLine(text: string, stepName: string): number | undefined {
  const m = /^\[[^\]]*\]\s+(.*)$/s.exec(stepName);
  if (!m) return undefined;
  const wanted = m[1].trim().replace(/\s+/g, " ");
  return instructions(text).find((ins) => instructionPattern(ins.text).test(wanted))?.line;
}

function instructionPattern(instruction: string): RegExp {
  const parts = instruction.split(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*?")}$`, "is");
}
