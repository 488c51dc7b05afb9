import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentBuild, sourceDigest } from '../bin/build-state';

/** A checkout in miniature: the files the build's digest covers, and a dist/ stamped with their digest. */
function miniatureCheckout(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-build-'));
  fs.writeFileSync(path.join(root, 'package-lock.json'), '{}');
  fs.writeFileSync(path.join(root, 'tsconfig.json'), '{}');
  fs.writeFileSync(path.join(root, 'tsconfig.build.json'), JSON.stringify({ include: ['model'] }));
  fs.mkdirSync(path.join(root, 'model', 'deep'), { recursive: true });
  fs.writeFileSync(path.join(root, 'model', 'deep', 'a.ts'), 'export const a = 1;\n');
  fs.mkdirSync(path.join(root, 'dist'));
  fs.writeFileSync(path.join(root, 'dist', '.source-digest'), sourceDigest(root));
  return root;
}

describe('the build in dist/ runs only while it matches the sources', () => {
  it('is current as built, and not after a source, a new file, the lock file or a rename changes', () => {
    const changes: [string, (root: string) => void][] = [
      ['a source edited', (root) => fs.appendFileSync(path.join(root, 'model', 'deep', 'a.ts'), '// changed\n')],
      ['a source added', (root) => fs.writeFileSync(path.join(root, 'model', 'b.ts'), '')],
      [
        'the lock file changed',
        (root) => fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion": 3}'),
      ],
      [
        'a source renamed',
        (root) => fs.renameSync(path.join(root, 'model', 'deep', 'a.ts'), path.join(root, 'model', 'deep', 'c.ts')),
      ],
      ['never built', (root) => fs.rmSync(path.join(root, 'dist'), { recursive: true })],
    ];
    for (const [change, make] of changes) {
      const root = miniatureCheckout();
      expect(currentBuild(root)).toBe(path.join(root, 'dist'));
      make(root);
      expect([change, currentBuild(root)]).toEqual([change, undefined]);
    }
  });

  it('does not change when only file times do (a fresh clone of the same code is current once built)', () => {
    const root = miniatureCheckout();
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'model', 'deep', 'a.ts'), later, later);
    expect(currentBuild(root)).toBe(path.join(root, 'dist'));
  });
});
