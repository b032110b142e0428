import { z } from 'zod';
import { Commands, ReplySchema } from './commands';
import { StatusSchema } from './status';
import { PROTOCOL_VERSION } from './version';

/**
 * The JSON Schema of protocol v1 (status and command replies), generated from the zod schemas.
 * `docs/protocol.schema.json` is this document; a test fails when the checked-in copy is out of date.
 * Cross-field rules (e.g. "reason is null when idle") are described in docs/protocol.md; JSON Schema
 * carries only the per-field rules.
 */
export function protocolJsonSchema(): Record<string, unknown> {
  const opts = { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' } as const;
  const strip = (schema: Record<string, unknown>) => {
    const { $schema: _ignored, ...rest } = schema;
    return rest;
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://proxmox-sleep.invalid/protocol/v${PROTOCOL_VERSION}.schema.json`,
    title: `Proxmox Sleep Manager protocol v${PROTOCOL_VERSION}`,
    $defs: {
      status: strip(z.toJSONSchema(StatusSchema, opts) as Record<string, unknown>),
      reply: strip(z.toJSONSchema(ReplySchema, opts) as Record<string, unknown>),
      notifyArgs: strip(z.toJSONSchema(Commands.notify.args, opts) as Record<string, unknown>),
      blockArgs: strip(z.toJSONSchema(Commands.block.args, opts) as Record<string, unknown>),
      doctorReport: strip(z.toJSONSchema(Commands.doctor.response, opts) as Record<string, unknown>),
      wakeAtArgs: strip(z.toJSONSchema(Commands['wake-at'].args, opts) as Record<string, unknown>),
    },
    $ref: '#/$defs/status',
  };
}

/** The schema document as checked in: stable key order, two-space indent, trailing newline. */
export function protocolJsonSchemaText(): string {
  return `${JSON.stringify(protocolJsonSchema(), null, 2)}\n`;
}
