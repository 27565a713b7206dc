// Parses the AsyncAPI documents named on the command line with the reference parser (@asyncapi/parser) and
// prints, for each, its diagnostics as JSON lines: {"file", "severity", "code", "message", "path"}.
// Exits 1 when any document has an error (severity 0), 0 otherwise.
import { readFile } from "node:fs/promises";
import { Parser } from "@asyncapi/parser";

const parser = new Parser();
let failed = false;
for (const file of process.argv.slice(2)) {
  const { document, diagnostics } = await parser.parse(await readFile(file, "utf8"));
  for (const d of diagnostics) {
    console.log(JSON.stringify({ file, severity: d.severity, code: d.code, message: d.message, path: d.path }));
  }
  if (document === undefined || diagnostics.some((d) => d.severity === 0)) failed = true;
}
process.exit(failed ? 1 : 0);
