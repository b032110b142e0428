#!/usr/bin/env node
// Proof of a real hibernation: writes {pid, n, uptime, time} to a file every 500 ms. After a resume the same
// PID is still alive, n keeps counting from where it was and /proc/uptime continues instead of restarting.
'use strict';
const fs = require('fs');
const { setInterval } = require('timers');

const out = process.argv[2] || '/root/counter.json';
let n = 0;

function tick() {
  n += 1;
  const uptime = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const tmp = `${out}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ pid: process.pid, n, uptime, time: Date.now() })}\n`);
  fs.renameSync(tmp, out);
}

tick();
setInterval(tick, 500);
