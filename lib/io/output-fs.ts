// The file-system calls the output layer makes, behind one interface, so tests can make
// any of them fail (full disk, I/O error) or stop dead (a simulated kill) at the n-th call.
import * as fs from 'node:fs';
import { copyFile } from 'node:fs/promises';

/** The calls the output layer makes; `realFs` (node:fs) by default. */
export interface OutputFs {
  openSync(path: string, flags: string): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  closeSync(fd: number): void;
  statSync(path: string): fs.Stats;
  lstatSync(path: string): fs.Stats;
  mkdirSync(path: string): void;
  readdirSync(path: string): string[];
  readFileSync(path: string): string;
  readlinkSync(path: string): string;
  symlinkSync(target: string, path: string): void;
  renameSync(from: string, to: string): void;
  linkSync(existing: string, path: string): void;
  unlinkSync(path: string): void;
  rmdirSync(path: string): void;
  rmSync(path: string): void;
  copyFile(from: string, to: string): Promise<void>;
}

export const realFs: OutputFs = {
  openSync: (path, flags) => fs.openSync(path, flags),
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  closeSync: (fd) => fs.closeSync(fd),
  statSync: (path) => fs.statSync(path),
  lstatSync: (path) => fs.lstatSync(path),
  mkdirSync: (path) => { fs.mkdirSync(path); },
  readdirSync: (path) => fs.readdirSync(path),
  readFileSync: (path) => fs.readFileSync(path, 'utf8'),
  readlinkSync: (path) => fs.readlinkSync(path),
  symlinkSync: (target, path) => fs.symlinkSync(target, path),
  renameSync: (from, to) => fs.renameSync(from, to),
  linkSync: (existing, path) => fs.linkSync(existing, path),
  unlinkSync: (path) => fs.unlinkSync(path),
  rmdirSync: (path) => fs.rmdirSync(path),
  rmSync: (path) => fs.rmSync(path, { recursive: true, force: true }),
  // A copy-on-write clone where the file system has them, else a copy in the kernel.
  copyFile: (from, to) => copyFile(from, to, fs.constants.COPYFILE_FICLONE),
};

export type FsCall = keyof OutputFs;

/**
 * What a faulty file system does; plain data, so it can cross to a worker thread.
 * Calls are counted per `FsCall` name, from 1.
 */
export interface FaultPlan {
  /** Every `writeSync` writes at most this many bytes (default: no limit). */
  shortWrites?: number;
  /** The `at`-th call of `call` throws a system error `code` (e.g. ENOSPC) instead of running. */
  fail?: { call: FsCall; at: number; code: string };
  /** The `at`-th call of `call` throws `Stopped`, and so does every later call: a kill. */
  stop?: { call: FsCall; at: number };
}

/** Thrown by a faulty file system that was told to stop: the process is "dead" from then on. */
export class Stopped extends Error {
  constructor() {
    super('stopped (simulated kill)');
    this.name = 'Stopped';
  }
}

/** `base` with the faults of `plan`; `calls` counts each call name made so far; `log` lists each call with its path (a descriptor's path for calls on one). */
export function faultyFs(plan: FaultPlan, base: OutputFs = realFs): OutputFs & { calls: Map<FsCall, number>; log: string[] } {
  const calls = new Map<FsCall, number>();
  const log: string[] = [];
  // The path of each open descriptor, so that the log names the file a write or close goes to.
  const paths = new Map<unknown, string>();
  let stopped = false;
  const before = (call: FsCall, path: unknown): void => {
    if (stopped) throw new Stopped();
    const n = (calls.get(call) ?? 0) + 1;
    calls.set(call, n);
    log.push(`${call} ${paths.get(path) ?? String(path)}`);
    if (plan.stop?.call === call && plan.stop.at === n) {
      stopped = true;
      throw new Stopped();
    }
    if (plan.fail?.call === call && plan.fail.at === n) {
      const err = new Error(`${plan.fail.code}: injected fault, ${call} '${String(path)}'`) as NodeJS.ErrnoException;
      err.code = plan.fail.code;
      err.syscall = call;
      throw err;
    }
  };
  const wrapped = { calls, log } as OutputFs & { calls: Map<FsCall, number>; log: string[] };
  for (const call of Object.keys(base) as FsCall[]) {
    const real = base[call] as (...args: unknown[]) => unknown;
    (wrapped as unknown as Record<string, unknown>)[call] = (...args: unknown[]): unknown => {
      before(call, args[0]);
      if (call === 'writeSync' && plan.shortWrites !== undefined) {
        const [fd, buffer, offset, length] = args as [number, Uint8Array, number, number];
        return base.writeSync(fd, buffer, offset, Math.min(length, plan.shortWrites));
      }
      const result = real(...args);
      if (call === 'openSync') paths.set(result, String(args[0]));
      return result;
    };
  }
  return wrapped;
}
