// Parse Mermaid diagrams with the real Mermaid parser (run by tests/test_mermaid_syntax.py).
// Reads a JSON array of diagram texts on stdin; prints a JSON array with, for each, either
// {"ok": false, "error": "..."} or {"ok": true, "type", "vertices", "edges", "subgraphs",
// "classes", "tooltips"} so that the test can check what the diagram contains, not only that
// it parses. Entity codes in labels (#34;) are decoded back to their characters.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

// Mermaid swaps `#NNN;` for placeholders before parsing and back when drawing.
const decode = (text) =>
  String(text ?? "")
    .replace(/\ufb02\u00b0\u00b0(\d+)\u00b6\u00df/g, (_, code) => String.fromCodePoint(Number(code)))
    .replace(/\ufb02\u00b0(\w+)\u00b6\u00df/g, (_, name) => `&${name};`);

async function inspect(text) {
  try {
    const { diagramType } = await mermaid.parse(text);
    const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
    const vertices = [...db.getVertices().values()].map((v) => ({
      id: v.id, text: decode(v.text), type: v.type, classes: v.classes, link: v.link ?? null,
    }));
    const edges = db.getEdges().map((e) => ({
      start: e.start, end: e.end, text: decode(e.text), stroke: e.stroke,
    }));
    const subgraphs = db.getSubGraphs().map((s) => ({
      id: s.id, title: decode(s.title), nodes: s.nodes,
    }));
    const tooltips = Object.fromEntries(db.tooltips ?? new Map());
    return {
      ok: true, type: diagramType, vertices, edges, subgraphs,
      classes: [...db.getClasses().keys()], tooltips,
    };
  } catch (error) {
    return { ok: false, error: String(error?.message ?? error).slice(0, 1000) };
  }
}

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) results.push(await inspect(text));
process.stdout.write(JSON.stringify(results));
