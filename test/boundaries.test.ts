// Keeps the component boundaries of design.md honest: walks every import under src/ and fails on a
// forbidden edge between components or on an import cycle between files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const SRC = 'src';

/** component → the components it may import (besides itself). From design.md "Components and boundaries". */
const ALLOWED: Record<string, string[]> = {
  api: [],
  util: [],
  storage: ['api', 'util'],
  apiserver: ['api', 'storage', 'util'],
  client: ['api', 'util'],
  controllers: ['api', 'client', 'util'],
  nodesim: ['api', 'client', 'util'],
  dns: ['api', 'client', 'util'],
  cli: ['api', 'client', 'util'],
  cmd: ['*'],
};

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out.filter((s) => s.startsWith('.')).map((s) => normalize(join(dirname(file), s)));
}

const component = (f: string) => relative(SRC, f).split('/')[0];
const all = files(SRC).filter((f) => !f.endsWith('.test.ts'));
const graph = new Map(all.map((f) => [f, imports(f)]));

test('every component folder is known to the boundary table (design.md)', () => {
  const unknown = [...new Set(all.map(component))].filter((c) => !(c in ALLOWED) && !c.endsWith('.ts'));
  assert.deepEqual(unknown, []);
});

test('no import crosses a forbidden component boundary (design.md)', () => {
  const bad: string[] = [];
  for (const [f, deps] of graph) {
    const from = component(f);
    const allowed = ALLOWED[from] ?? [];
    for (const d of deps) {
      const to = component(d);
      if (to === from || allowed.includes('*') || allowed.includes(to)) continue;
      bad.push(`${f} → ${d}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('there is no import cycle between source files', () => {
  const state = new Map<string, 1 | 2>();
  const cycles: string[] = [];
  const visit = (f: string, stack: string[]) => {
    if (state.get(f) === 2) return;
    if (state.get(f) === 1) { cycles.push([...stack.slice(stack.indexOf(f)), f].join(' → ')); return; }
    state.set(f, 1);
    for (const d of graph.get(f) ?? []) visit(d, [...stack, f]);
    state.set(f, 2);
  };
  for (const f of graph.keys()) visit(f, []);
  assert.deepEqual(cycles, []);
});
