import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@mustafid/platform';

export const LOCK_FILE = 'mustafid.lock';

/** Another live process holds the data folder. */
export class DataDirLockedError extends DomainError {
  constructor(dataDir: string, holder: string) {
    super(
      'DATA_DIR_LOCKED',
      `The data folder ${dataDir} is in use by another Mustafid process (${holder}). ` +
        'Stop that process first, or set DATA_DIR to another folder: two processes on one embedded database lose data.',
      409,
    );
  }
}

interface LockContent {
  pid: number;
  host: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock on a data folder: a file created with O_EXCL holding the owner's pid.
 * A lock left by a process that no longer runs (a crash) is taken over; one held by a
 * live process is refused with DataDirLockedError. Released on `release()` and at exit.
 */
export class DataDirLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(private readonly path: string) {
    process.once('exit', this.onExit);
  }

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        const content: LockContent = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
        writeSync(fd, JSON.stringify(content));
        closeSync(fd);
        return new DataDirLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = readHolder(path);
      if (holder && holder.host === hostname() && !isAlive(holder.pid)) {
        unlinkSync(path); // stale: its owner is gone
        continue;
      }
      const who = holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.since}` : `lock file ${path}`;
      throw new DataDirLockedError(dataDir, who);
    }
    throw new DataDirLockedError(dataDir, `lock file ${path}`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener('exit', this.onExit);
    try {
      const holder = readHolder(this.path);
      if (holder?.pid === process.pid) unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}

function readHolder(path: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host, since: String(parsed.since ?? 'unknown') };
    }
  } catch {
    // unreadable or half-written: treated as held
  }
  return undefined;
}
