// A fresh demo database for one test file, and the store's own numbers read with pms-data.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const binDir = process.env.PMS_BIN_DIR ?? path.resolve(import.meta.dirname, '../../../build/bin');

export function demoStore() {
  const dir = mkdtempSync(path.join(tmpdir(), 'pms-mcp-sdk-'));
  const db = path.join(dir, 'demo.db');
  const pmsData = (...args) => execFileSync(path.join(binDir, 'pms-data'), ['--db', db, ...args], { encoding: 'utf8' });
  pmsData('generate', '--reference-date', '2025-11-20');
  return {
    db,
    pmsData,
    count: (collection, filter = {}) => Number(pmsData('query', collection, '--count', '--filter', JSON.stringify(filter)).trim()),
    findOne: (collection, filter) => JSON.parse(pmsData('query', collection, '--limit', '1', '--filter', JSON.stringify(filter)).trim()),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
