// Parse Mermaid files with the real Mermaid parser (npm `mermaid`, DOM from `jsdom`).
// usage: node mermaid_parse.mjs NODE_MODULES_DIR FILE...   (exit 1 naming the first file that does not parse)
import fs from "fs";
import path from "path";
import { pathToFileURL } from "url";

const modules = process.argv[2];
const load = (name, file) => import(pathToFileURL(path.join(modules, name, file)).href);
const { JSDOM } = await load("jsdom", "lib/api.js");
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await load("mermaid", "dist/mermaid.core.mjs");
for (const file of process.argv.slice(3)) {
  try {
    const result = await mermaid.parse(fs.readFileSync(file, "utf8"));
    process.stdout.write(`${file}: ${result.diagramType}\n`);
  } catch (err) {
    process.stderr.write(`${file}: ${String(err.message || err)}\n`);
    process.exit(1);
  }
}
