import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { WAIT_MS } from './budget.mjs';

export const SERVER_MAIN = resolve('dist/apps/server/main.js');
export const WORKER_MAIN = resolve('dist/apps/worker/main.js');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  /** The child's process id. */
  pid: number;
  output(): string;
  /** Resolves once `pattern` appears in stdout or stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<Finished>;
  stop(): Promise<Finished>;
  /** SIGKILL: no shutdown hooks, no cleanup, as in a power cut. */
  kill(): Promise<Finished>;
}

/**
 * Runs a built entry point (`npm run build` first) with only the given environment plus PATH;
 * `nodeOptions` go before the entry point (e.g. the heap bounds the Dockerfile sets).
 */
export function runBuilt(main: string, args: string[], env: Record<string, string>, nodeOptions: string[] = []): Running {
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const child = spawn(process.execPath, [...nodeOptions, main, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (d) => {
    stdout += d;
    listeners.forEach((l) => l());
  });
  child.stderr.on('data', (d) => {
    stderr += d;
    listeners.forEach((l) => l());
  });
  const exited = new Promise<Finished>((res) => child.on('close', (code) => res({ code, stdout, stderr })));
  return {
    pid: child.pid ?? NaN,
    output: () => stdout + stderr,
    exited,
    waitFor(pattern, timeoutMs = 4 * WAIT_MS) {
      return new Promise((res, rej) => {
        const check = () => {
          if (pattern.test(stdout + stderr)) {
            listeners.delete(check);
            clearTimeout(timer);
            res();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          rej(new Error(`timed out waiting for ${pattern}; output so far:\n${stdout}${stderr}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => {
          if (!pattern.test(stdout + stderr)) {
            listeners.delete(check);
            clearTimeout(timer);
            rej(new Error(`process exited before ${pattern}; output:\n${stdout}${stderr}`));
          }
        });
        check();
      });
    },
    stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Runs a built entry point to completion. */
export function runToEnd(main: string, args: string[], env: Record<string, string>): Promise<Finished> {
  return runBuilt(main, args, env).exited;
}
