/**
 * Every command of `proxmox-sleep`, in the order `--help` lists them: one file each, registered here and
 * nowhere else. A command's file holds its definition; its action loads what it needs when it runs.
 */
import type { RegisterCommand } from '../io';
import { register as agent } from './agent';
import { register as check } from './check';
import { register as config } from './config';
import { register as daemon } from './daemon';
import { register as hibernate } from './hibernate';
import { register as postWake } from './post-wake';
import { register as preSleep } from './pre-sleep';
import { register as reset } from './reset';
import { register as resume } from './resume';
import { register as sleepNow } from './sleep-now';
import { register as status } from './status';
import { register as tick } from './tick';
import { register as validate } from './validate';

export const COMMANDS: readonly RegisterCommand[] = [
  validate,
  config,
  check,
  status,
  tick,
  daemon,
  sleepNow,
  preSleep,
  postWake,
  hibernate,
  resume,
  reset,
  agent,
];
