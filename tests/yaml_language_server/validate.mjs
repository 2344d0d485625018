// Validate YAML documents as an editor would: yaml-language-server's own language service,
// each document's schema named by its `# yaml-language-server: $schema=...` line.
// Input (stdin): [{"path": "/abs/file.yaml", "text": "..."}]; output: the diagnostics of each.
import { readFileSync } from "node:fs";
import { pathToFileURL, fileURLToPath } from "node:url";
import { getLanguageService } from "yaml-language-server";
import { TextDocument } from "vscode-languageserver-textdocument";

const service = getLanguageService({
  // only local files: nothing is fetched
  schemaRequestService: async (uri) => {
    if (!uri.startsWith("file:")) throw new Error(`not fetched: ${uri}`);
    return readFileSync(fileURLToPath(uri), "utf8");
  },
  workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
});
service.configure({ validate: true, hover: false, completion: false, format: false, isKubernetes: false });

const input = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const { path, text } of input) {
  const document = TextDocument.create(pathToFileURL(path).href, "yaml", 1, text);
  const diagnostics = await service.doValidation(document, false);
  results.push(diagnostics.map((d) => ({ line: d.range.start.line + 1, message: d.message, severity: d.severity })));
}
process.stdout.write(JSON.stringify(results));
