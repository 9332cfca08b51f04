import { CliError, UsageError } from "../errors.js";

/** A row's fields by the names docker's templates use (`{{.Name}}`), already as text. */
export type FormatFields = Record<string, string>;

/** A template asked for a field the rows do not have; docker fails the same way, with exit 1. */
export class FormatFieldError extends CliError {
  constructor(field: string, known: string[]) {
    super("FORMAT_UNKNOWN_FIELD", `--format: no field "${field}"; the fields are ${known.join(", ")}`);
  }
}

type Part = { text: string } | { field: string } | { json: string | "." };

/**
 * Renders rows for a docker-style `--format`: `table` (the command's default table), `json` (one object
 * per line, keys sorted as Go marshals a map), `table TEMPLATE` (a header line, then columns aligned by
 * docker's tabwriter) or a bare TEMPLATE, one line per row. Templates may use `{{.Field}}`, `{{json .}}`
 * and `{{json .Field}}`, with `\t` and `\n` as docker reads them.
 */
export function renderFormat(
  format: string,
  rows: FormatFields[],
  headers: FormatFields,
  defaultTable: string,
): string {
  const source = format === "table" ? defaultTable : format;
  if (source === "json") return rows.map((row) => `${JSON.stringify(sortedKeys(row))}\n`).join("");
  const isTable = source.startsWith("table");
  const template = parseTemplate(
    (isTable ? source.slice("table".length) : source)
      .replace(/^ +| +$/g, "")
      .replace(/\\t/g, "\t")
      .replace(/\\n/g, "\n"),
  );
  const known = Object.keys(headers);
  const lines = rows.map((row) => apply(template, row, known));
  if (!isTable) return lines.map((line) => `${line}\n`).join("");
  return alignColumns([apply(template, headers, known), ...lines]);
}

function sortedKeys(row: FormatFields): FormatFields {
  return Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function parseTemplate(template: string): Part[] {
  const parts: Part[] = [];
  const action = /\{\{-?\s*(.*?)\s*-?\}\}/g;
  let last = 0;
  for (let m = action.exec(template); m; m = action.exec(template)) {
    if (m.index > last) parts.push({ text: template.slice(last, m.index) });
    parts.push(parseAction(m[1] ?? ""));
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  return parts;
}

function parseAction(action: string): Part {
  const field = /^\.([A-Za-z][A-Za-z0-9]*)$/.exec(action);
  if (field?.[1]) return { field: field[1] };
  const json = /^json\s+\.([A-Za-z][A-Za-z0-9]*)?$/.exec(action);
  if (json) return { json: json[1] ?? "." };
  throw new UsageError(
    `--format: unsupported template action "{{${action}}}": use {{.Field}}, {{json .}} or {{json .Field}}`,
  );
}

function apply(template: Part[], row: FormatFields, known: string[]): string {
  return template
    .map((part) => {
      if ("text" in part) return part.text;
      const name = "field" in part ? part.field : part.json;
      if (name === ".") return JSON.stringify(sortedKeys(row));
      const value = row[name];
      if (value === undefined) throw new FormatFieldError(name, known);
      return "json" in part ? JSON.stringify(value) : value;
    })
    .join("");
}

/**
 * docker's tabwriter (minimum width 10, padding 3): each tab-terminated cell is padded to its column's
 * widest cell; the text after a line's last tab is left as it is.
 */
export function alignColumns(lines: string[]): string {
  const rows = lines.flatMap((line) => line.split("\n")).map((line) => line.split("\t"));
  const widths: number[] = [];
  for (const cells of rows) {
    cells.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 10, cell.length + 3);
    });
  }
  return rows
    .map(
      (cells) =>
        `${cells.map((cell, i) => (i < cells.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell)).join("")}\n`,
    )
    .join("");
}
