/** `doctor [--json]`: can this guest hibernate right now? Read-only. Exit 0 all ok, 1 warnings, 2 problems. */
import type { Command } from 'commander';
import type { DoctorReport } from '../../../protocol/doctor';
import { doctorExitCode, doctorReport, inspectSafely } from '../../core/readiness';
import { compose, type Edges } from '../../setup/compose';
import { loadContext, type GlobalOptions } from '../../setup/context';
import { asciiJsonLine } from '../reply-line';
import type { AgentIo } from '../../setup/io';

export function renderDoctor(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines = report.checks.flatMap((c) => [
    `${c.name.padEnd(width)}  ${c.verdict.padEnd(7)}  ${c.evidence}`,
    ...(c.fix ? [`${' '.repeat(width + 11)}fix: ${c.fix}`] : []),
  ]);
  const problems = report.checks.filter((c) => c.verdict === 'problem').length;
  lines.push(
    '',
    report.hibernation_ready
      ? 'Hibernation: ready'
      : `Hibernation: NOT READY (${problems} problem${problems > 1 ? 's' : ''}); \`hibernate\` refuses until fixed`,
  );
  return `${lines.join('\n')}\n`;
}

export function registerDoctor(
  program: Command,
  io: AgentIo,
  setExit: (code: number) => void,
  edges?: Partial<Edges>,
): void {
  program
    .command('doctor')
    .description(
      'check that this guest can hibernate right now: each check ok, warning or problem, with its evidence and the fixing command (changes nothing; exit 0 ok, 1 warnings, 2 problems)',
    )
    .option('--json', 'print the report as one JSON line (protocol: Commands.doctor)')
    .action(async (options: { json?: boolean }, command: Command) => {
      const ctx = await loadContext(command.optsWithGlobals<GlobalOptions>(), io, 'warn');
      const { readiness } = compose(ctx.config, ctx.os, {
        clock: io.clock,
        logger: ctx.logger,
        env: io.env,
        ...edges,
      });
      const report = doctorReport(ctx.os, await inspectSafely(readiness, io.shutdown));
      await io.stdout(options.json ? asciiJsonLine(report) : renderDoctor(report));
      setExit(doctorExitCode(report.checks));
    });
}
