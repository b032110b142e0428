import { readFileSync } from 'fs';
import * as path from 'path';

/** A captured command output from __tests__/fixtures/agent/<tool>/<name> (see SOURCES.md there). */
export function agentFixture(tool: string, name: string): string {
  return readFileSync(path.join(__dirname, '..', 'fixtures', 'agent', tool, name), 'utf8');
}

export const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
