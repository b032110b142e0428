/**
 * GitHub's own workflow parser (@actions/workflow-parser, the one behind the Actions language server):
 * the workflow schema, expressions, job references. Its ESM build imports its JSON schema without an import
 * attribute, which Node refuses, so it is bundled once with esbuild into a CommonJS file and loaded from there.
 */
import { buildSync } from 'esbuild';
import { mkdtempSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Parser {
  parseWorkflow(
    file: { name: string; content: string },
    trace: unknown,
  ): { value: unknown; context: { errors: { getErrors(): { message: string }[] } } };
  convertWorkflowTemplate(context: unknown, value: unknown): Promise<{ errors?: { Message: string }[] }>;
  NoOperationTraceWriter: new () => unknown;
}

let parser: Parser | null = null;

function load(): Parser {
  if (parser) return parser;
  const outfile = path.join(mkdtempSync(path.join(os.tmpdir(), 'workflow-parser-')), 'parser.cjs');
  buildSync({
    stdin: {
      contents: "export * from '@actions/workflow-parser';",
      resolveDir: path.join(__dirname, '..', '..'),
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'error',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parser = require(outfile) as Parser;
  return parser;
}

/** Every problem GitHub's parser finds in a workflow (empty when it is valid). */
export async function workflowProblems(name: string, content: string): Promise<string[]> {
  const p = load();
  const result = p.parseWorkflow({ name, content }, new p.NoOperationTraceWriter());
  const problems = result.context.errors.getErrors().map((e) => e.message);
  if (result.value) {
    const template = await p.convertWorkflowTemplate(result.context, result.value);
    problems.push(...(template.errors ?? []).map((e) => e.Message));
  }
  return [...new Set(problems)];
}
