/**
 * `npm run bench:lab`: one QEMU lab guest through its whole life, timing every step, plus its RSS and the
 * accelerator that ran. Prints one `name=value` line per number (and JSON with --json). Uses the cached image
 * (building it first when the recipe changed, which is timed too).
 */
import { mkdtempSync, rmSync } from 'fs';
import * as path from 'path';
import { createRunner } from '../common/shell';
import { errorMessage } from '../common/errors';
import { chooseAccel } from '../lab/qemu/accel';
import { cacheDirFrom, ensureImage } from '../lab/qemu/image-cache';
import { GUEST } from '../lab/qemu/image/recipe';
import { Vm } from '../lab/qemu/vm';

const MiB = 1024 * 1024;

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const memoryMiB = Number(process.env.LAB_BENCH_MEMORY_MIB ?? 512);
  const results: Record<string, number | string> = {};
  const note = (name: string, value: number | string) => {
    results[name] = value;
    if (!json) process.stdout.write(`${name}=${value}\n`);
  };
  const run = createRunner({
    timeoutMs: 60_000,
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` },
  });

  const ensured = await ensureImage({ progress: (l) => process.stderr.write(`[lab:image] ${l}\n`) });
  note(ensured.built ? 'image_cold_build_ms' : 'image_cache_lookup_ms', ensured.elapsedMs);
  const accelStarted = Date.now();
  const accel = await chooseAccel({ run, image: ensured.image, cacheDir: cacheDirFrom() });
  note('accel_choice_ms', Date.now() - accelStarted);
  note('accel_reason', accel.reason);

  const base = mkdtempSync('/tmp/lab-bench-');
  const created = Date.now();
  const vm = await Vm.create({
    name: 'bench',
    runDir: path.join(base, 'bench'),
    image: ensured.image,
    accel,
    memoryMiB,
    run,
  });
  note('create_overlays_and_data_disk_ms', Date.now() - created);
  try {
    const boot = await vm.boot({ fullBoot: true });
    note('accelerator', boot.accel);
    note('memory_mib', memoryMiB);
    note('launch_ms', boot.launchMs);
    note('boot_to_qga_ready_ms', boot.readyMs);
    note('boot_to_system_running_ms', boot.bootedMs ?? -1);
    await new Promise((r) => setTimeout(r, 10_000));
    note('rss_idle_mib', Math.round((vm.rssBytes() ?? 0) / MiB));

    const counter = await vm.exec('/bin/sh', [
      '-c',
      `setsid node ${GUEST.counter} /root/counter.json </dev/null >/dev/null 2>&1 &`,
    ]);
    if (counter.exitCode !== 0) throw new Error(`starting the counter failed: ${counter.stderr}`);
    const counterStarted = Date.now();
    let before: { pid: number; n: number } | undefined;
    while (!before || before.n < 2) {
      if (Date.now() - counterStarted > 60_000)
        throw new Error('the in-guest counter did not start within 60 s');
      await new Promise((r) => setTimeout(r, 500));
      before = await vm
        .readFile('/root/counter.json')
        .then((b) => JSON.parse(b.toString()) as { pid: number; n: number })
        .catch(() => undefined);
    }
    note('node_counter_start_ms', Date.now() - counterStarted);
    const hibernate = await vm.hibernate();
    note('hibernate_ms', hibernate.ms);
    const resume = await vm.resume();
    note('resume_to_qga_ready_ms', resume.readyMs);
    const after = JSON.parse((await vm.readFile('/root/counter.json')).toString()) as {
      pid: number;
      n: number;
    };
    note('resumed_same_process', after.pid === before.pid && after.n >= before.n ? 'yes' : 'no');
    note('rss_after_resume_mib', Math.round((vm.rssBytes() ?? 0) / MiB));

    const shutdown = await vm.shutdown();
    note('shutdown_ms', shutdown.ms);
    const again = await vm.boot();
    note('reboot_to_qga_ready_ms', again.readyMs);
    const stopStarted = Date.now();
    await vm.kill();
    note('forced_stop_ms', Date.now() - stopStarted);
  } finally {
    await vm.teardown();
    rmSync(base, { recursive: true, force: true });
  }
  if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:lab: ${errorMessage(e)}\n`);
  process.exit(1);
});
