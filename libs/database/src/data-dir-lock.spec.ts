import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLock, DataDirLockedError, LOCK_FILE } from './data-dir-lock';

describe('DataDirLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mustafid-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is exclusive while held and free again once released', () => {
    const lock = DataDirLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => DataDirLock.acquire(dir)).toThrow(DataDirLockedError);
    expect(() => DataDirLock.acquire(dir)).toThrow(`The data folder ${dir} is in use by another Mustafid process (pid ${process.pid}`);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    DataDirLock.acquire(dir).release();
  });

  it('takes over a lock left by a process that has died', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(dead.stdout.toString());
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, host: hostname(), since: '2026-01-01T00:00:00Z' }));
    const lock = DataDirLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('refuses a lock held on another machine (a shared folder) or an unreadable lock file', () => {
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1, host: 'other-host', since: 'x' }));
    expect(() => DataDirLock.acquire(dir)).toThrow(/pid 1 on other-host/);
    writeFileSync(join(dir, LOCK_FILE), '{half-writ');
    expect(() => DataDirLock.acquire(dir)).toThrow(DataDirLockedError);
  });

  it('never removes a lock that another process took after ours', () => {
    const lock = DataDirLock.acquire(dir);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid + 1, host: hostname(), since: 'x' }));
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });
});
