import type { Project, ServiceConfig, ServicePortConfig } from "@berth/compose-schema";

/** What `viz` adds to each service's box besides its name (compose's --networks, --ports, --image). */
export interface VizOptions {
  networks: boolean;
  ports: boolean;
  image: boolean;
  /** Prepended to every line inside the graph. */
  indentation: string;
}

/** One service of the graph, with what its box can show and the services it depends on. */
export interface VizNode {
  name: string;
  networks: string[];
  ports: string[];
  image: string;
  dependsOn: string[];
}

/**
 * The project's services as graph nodes, sorted by name (compose walks a Go map, so its order changes
 * from run to run; a stable order lets the output be committed and diffed).
 */
export function vizNodes(project: Project, imageOf: (service: ServiceConfig) => string): VizNode[] {
  return Object.values(project.services)
    .map((s) => ({
      name: s.name,
      // compose's NetworksByPriority: highest priority first, then by name.
      networks: Object.entries(s.networks ?? {})
        .sort(([a, x], [b, y]) => (y?.priority ?? 0) - (x?.priority ?? 0) || a.localeCompare(b))
        .map(([name]) => name),
      ports: (s.ports ?? []).map(portText),
      image: imageOf(s),
      // A dependency left out of the project (another profile) has no box to point at.
      dependsOn: Object.keys(s.depends_on ?? {})
        .filter((d) => project.services[d])
        .sort(),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `127.0.0.1:8080:80 (tcp, ingress)`, as compose's viz writes a port (no published port: `:80`). */
function portText(p: ServicePortConfig): string {
  const host = p.host_ip ? `${p.host_ip}:` : "";
  return `${host}${p.published ?? ""}:${p.target} (${p.protocol ?? "tcp"}, ${p.mode ?? "ingress"})`;
}

/** The sections of a service's box that the options ask for and that have something to show. */
function sections(node: VizNode, opts: VizOptions): [string, string[]][] {
  const out: [string, string[]][] = [];
  if (opts.networks && node.networks.length > 0) out.push(["Networks:", node.networks]);
  if (opts.ports && node.ports.length > 0) out.push(["Ports:", node.ports]);
  if (opts.image) out.push(["Image:", [node.image]]);
  return out;
}

/** Graphviz's HTML labels are XML: names, images and addresses must not open tags. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function dotId(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The Graphviz (dot) graph docker compose's `alpha viz` prints: one box per service, an edge per dependency. */
export function renderDot(projectName: string, nodes: VizNode[], opts: VizOptions): string {
  const ind = opts.indentation;
  const lines = [`digraph ${dotId(projectName)} {`, `${ind}layout=dot;`];
  for (const node of nodes) {
    let label = `<font point-size="15">${escapeHtml(node.name)}</font>`;
    for (const [title, items] of sections(node, opts)) {
      const list = items.map((item) => `<br/>${escapeHtml(item)}`).join("");
      label += `<font point-size="10"><br/><br/><b>${title}</b>${list}</font>`;
    }
    lines.push(`${ind}${dotId(node.name)} [style="filled" label=<${label}>];`);
  }
  lines.push("");
  for (const node of nodes) {
    for (const dep of node.dependsOn) lines.push(`${ind}${dotId(node.name)} -> ${dotId(dep)};`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** Mermaid's node ids: letters, digits and `_`, never a keyword such as `end`. */
function mermaidIds(nodes: VizNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const node of nodes) {
    const base = `svc_${node.name.replace(/[^A-Za-z0-9_]/g, "_")}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    ids.set(node.name, id);
  }
  return ids;
}

/** Inside a quoted Mermaid label, `"` ends the label and `<` `>` `&` would be read as HTML. */
function escapeMermaid(text: string): string {
  return text.replace(/&/g, "#amp;").replace(/</g, "#lt;").replace(/>/g, "#gt;").replace(/"/g, "#quot;");
}

/**
 * The same graph as a Mermaid flowchart, which GitHub and most Markdown viewers render inside a
 * ```mermaid block: an arrow goes from a service to each service it depends on, as in the dot graph.
 */
export function renderMermaid(nodes: VizNode[], opts: VizOptions): string {
  const ind = opts.indentation;
  const ids = mermaidIds(nodes);
  const lines = ["flowchart TD"];
  for (const node of nodes) {
    let label = `<b>${escapeMermaid(node.name)}</b>`;
    for (const [title, items] of sections(node, opts)) {
      label += `<br/><br/><i>${title}</i><br/>${items.map(escapeMermaid).join("<br/>")}`;
    }
    lines.push(`${ind}${ids.get(node.name)}["${label}"]`);
  }
  for (const node of nodes) {
    for (const dep of node.dependsOn) {
      lines.push(`${ind}${ids.get(node.name)} --> ${ids.get(dep)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
