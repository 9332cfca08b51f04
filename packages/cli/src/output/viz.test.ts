import { loadProject } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { type VizOptions, renderDot, renderMermaid, vizNodes } from "./viz.js";

const COMPOSE = `name: shop
services:
  web:
    image: nginx:1.25
    ports: ["8080:80", "127.0.0.1::443"]
    depends_on: [db, cache]
    networks:
      front: {}
      back: { priority: 10 }
  db:
    image: postgres:16
    networks: [back]
  cache:
    build: .
  end:
    image: busybox
networks:
  front: {}
  back: {}
`;

async function nodes() {
  const project = await loadProject({ files: ["-"], stdin: COMPOSE, cwd: "/srv/shop", env: {} });
  return vizNodes(project, (s) => s.image ?? `${project.name}-${s.name}`);
}

const bare: VizOptions = { networks: false, ports: false, image: false, indentation: "\t" };

describe("viz", () => {
  it("prints compose's dot graph: nodes sorted by name, then one edge per dependency", async () => {
    expect(renderDot("shop", await nodes(), bare)).toBe(
      [
        'digraph "shop" {',
        "\tlayout=dot;",
        '\t"cache" [style="filled" label=<<font point-size="15">cache</font>>];',
        '\t"db" [style="filled" label=<<font point-size="15">db</font>>];',
        '\t"end" [style="filled" label=<<font point-size="15">end</font>>];',
        '\t"web" [style="filled" label=<<font point-size="15">web</font>>];',
        "",
        '\t"web" -> "cache";',
        '\t"web" -> "db";',
        "}",
        "",
      ].join("\n"),
    );
  });

  it("adds networks by priority, ports as compose writes them and the image (the built name without one)", async () => {
    const dot = renderDot("shop", await nodes(), {
      networks: true,
      ports: true,
      image: true,
      indentation: "  ",
    });
    expect(dot).toContain(
      '  "web" [style="filled" label=<<font point-size="15">web</font>' +
        '<font point-size="10"><br/><br/><b>Networks:</b><br/>back<br/>front</font>' +
        '<font point-size="10"><br/><br/><b>Ports:</b><br/>8080:80 (tcp, ingress)<br/>127.0.0.1::443 (tcp, ingress)</font>' +
        '<font point-size="10"><br/><br/><b>Image:</b><br/>nginx:1.25</font>>];',
    );
    expect(dot).toContain("<b>Image:</b><br/>shop-cache</font>");
    // A service with no ports shows no Ports section at all.
    expect(dot).not.toMatch(/"db" .*Ports/);
  });

  it("prints a Mermaid flowchart with ids Mermaid accepts (never the keyword end)", async () => {
    expect(renderMermaid(await nodes(), { ...bare, image: true, indentation: "    " })).toBe(
      [
        "flowchart TD",
        '    svc_cache["<b>cache</b><br/><br/><i>Image:</i><br/>shop-cache"]',
        '    svc_db["<b>db</b><br/><br/><i>Image:</i><br/>postgres:16"]',
        '    svc_end["<b>end</b><br/><br/><i>Image:</i><br/>busybox"]',
        '    svc_web["<b>web</b><br/><br/><i>Image:</i><br/>nginx:1.25"]',
        "    svc_web --> svc_cache",
        "    svc_web --> svc_db",
        "",
      ].join("\n"),
    );
  });

  it("keeps names that differ only in punctuation apart and escapes what would end a label", () => {
    const node = (name: string) => ({ name, networks: [], ports: [], image: 'a"b<c>', dependsOn: [] });
    const text = renderMermaid([node("a-b"), node("a.b")], { ...bare, image: true });
    expect(text).toContain('\tsvc_a_b["<b>a-b</b><br/><br/><i>Image:</i><br/>a#quot;b#lt;c#gt;"]');
    expect(text).toContain('\tsvc_a_b_2["<b>a.b</b>');
    expect(renderDot("p", [node("x")], { ...bare, image: true })).toContain("a&quot;b&lt;c&gt;");
  });
});
