/**
 * The lab's `qm`: status, start, shutdown, stop, guest cmd, guest exec — answering as qemu-server does. For
 * QEMU guests start, shutdown and stop act on the real VM (qemu-power.ts).
 */
import { requestShutdown, startGuest, stopGuest } from '../power';
import { labDir, logCall, type LabGuest } from '../state';
import {
  agentCallNoReply,
  agentCall,
  agentReady,
  die,
  execAndWait,
  hangIf,
  option,
  perlPretty,
  readStdin,
  startDelay,
  vmOf,
  waitStopped,
} from './common';

/** Agent commands that answer nothing on success (qemu-server counts the connection closing as success). */
const NO_REPLY = new Set(['shutdown', 'suspend-disk', 'suspend-ram', 'suspend-hybrid']);

/** QEMU guests only: the VM library is loaded when one is asked about. */
const qemuPower = () => import('../qemu-power');

async function stop(dir: string, vm: LabGuest): Promise<void> {
  if (vm.backend === 'qemu') await (await qemuPower()).stopQemu(dir, vm);
  else stopGuest(dir, vm.id);
}

export async function main(argv: string[]): Promise<void> {
  const dir = labDir();
  logCall(dir, 'qm', argv);
  const [verb, ...rest] = argv;
  if (verb === 'status') {
    const vm = vmOf(dir, rest[0]);
    await hangIf(vm, 'status');
    process.stdout.write(`status: ${vm.status === 'running' ? vm.qmpstatus || 'running' : 'stopped'}\n`);
    return;
  }
  if (verb === 'start') {
    const vm = vmOf(dir, rest[0]);
    await hangIf(vm, 'start');
    await startDelay(vm);
    const result =
      vm.backend === 'qemu'
        ? await (await qemuPower()).launchQemu(dir, vm, 'qm start')
        : startGuest(dir, vm.id);
    if (!result.ok) die(result.message);
    return;
  }
  if (verb === 'shutdown') {
    const vm = vmOf(dir, rest[0]);
    await hangIf(vm, 'shutdown');
    if (vm.status !== 'running') return;
    const timeout = Number(option(rest, '--timeout') ?? 60);
    if (vm.backend === 'qemu') await (await qemuPower()).requestQemuShutdown(dir, vm);
    else requestShutdown(dir, vm.id, vm.agent && vm.pids?.qga ? 'guest agent' : 'ACPI');
    if (await waitStopped(dir, vm.id, timeout)) return;
    if (option(rest, '--forceStop') === '1') {
      await stop(dir, vm);
      return;
    }
    die('VM quit/powerdown failed - got timeout');
  }
  if (verb === 'stop') {
    const vm = vmOf(dir, rest[0]);
    await hangIf(vm, 'stop');
    await stop(dir, vm);
    return;
  }
  if (verb === 'guest' && rest[0] === 'cmd') {
    const [, id, cmd] = rest;
    const vm = vmOf(dir, id);
    await hangIf(vm, 'guest');
    await agentReady(vm);
    if (NO_REPLY.has(cmd)) {
      await agentCallNoReply(vm, `guest-${cmd}`);
      return;
    }
    const result = await agentCall(vm, `guest-${cmd}`);
    if (result && typeof result === 'object' && Object.keys(result).length === 0) return;
    process.stdout.write(perlPretty(result));
    return;
  }
  if (verb === 'guest' && rest[0] === 'exec') {
    const id = rest[1];
    const dash = rest.indexOf('--');
    const opts = rest.slice(2, dash);
    const cmd = rest.slice(dash + 1);
    const vm = vmOf(dir, id);
    await hangIf(vm, 'guest');
    await agentReady(vm);
    const input = option(opts, '--pass-stdin') === '1' ? readStdin() : undefined;
    const timeout = Number(option(opts, '--timeout') ?? 30);
    process.stdout.write(perlPretty(await execAndWait(vm, cmd, timeout, input)));
    return;
  }
  die(`unknown command 'qm ${argv.join(' ')}'`);
}

if (require.main === module) void main(process.argv.slice(2));
