import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goPlatform, versionInfo } from './version.ts';

test('/version reports major 1 minor 32 so kubectl-dispatcher runs kubectl 1.32 (kubectl-compatibility.md §0)', () => {
  const v = versionInfo();
  assert.equal(v.major, '1');
  assert.equal(v.minor, '32');
  assert.match(v.gitVersion, /^v1\.32\.\d+/);
  assert.deepEqual(Object.keys(v), ['major', 'minor', 'gitVersion', 'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform']);
  for (const [k, x] of Object.entries(v)) assert.equal(typeof x, 'string', k);
});

test('/version fields can be overridden with build information', () => {
  const v = versionInfo({ gitCommit: 'abc', buildDate: '2025-06-01T00:00:00Z' });
  assert.equal(v.gitCommit, 'abc');
  assert.equal(v.buildDate, '2025-06-01T00:00:00Z');
  assert.equal(v.minor, '32');
});

test('platform uses Go GOOS/GOARCH names', () => {
  assert.equal(goPlatform('linux', 'x64'), 'linux/amd64');
  assert.equal(goPlatform('darwin', 'arm64'), 'darwin/arm64');
  assert.equal(goPlatform('win32', 'ia32'), 'windows/386');
});
