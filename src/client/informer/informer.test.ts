// SharedInformer + Reflector against the fake API server on 127.0.0.1:0 speaking the list/watch protocol
// (kubectl-compatibility.md §2.6; client-go reflector.go rules, see reflector.ts header). Waits are bounded
// polls for a behaviour, never timing assertions; backoff is configured to a few ms.

import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { StatusError } from '../../api/status.ts';
import { configForServer } from '../kubeconfig.ts';
import { RestClient } from '../rest.ts';
import { WatchDecodeError } from '../watch.ts';
import { FakeApiServer, statusBody, waitFor, type FakeCollection } from '../testing/fake-apiserver.ts';
import { SharedInformer, type EventHandler, type SharedInformerOptions } from './shared-informer.ts';
import { SharedInformerFactory } from './factory.ts';
import type { ReflectorEvent } from './reflector.ts';
import { DeletedFinalStateUnknown, byNamespace } from './store.ts';

const PATH = '/api/v1/namespaces/default/configmaps';
const configmaps = findResource('', 'v1', 'configmaps')!;

let srv: FakeApiServer;
let rest: RestClient;
let cms: FakeCollection;
let informer: SharedInformer | undefined;
let log: string[];
let events: ReflectorEvent[];

function cm(name: string, v = '1'): KObject {
  return { metadata: { name, namespace: 'default' }, data: { v } } as KObject;
}

function recorder(): EventHandler {
  return {
    onAdd: (o, initial) => { log.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}${initial ? ' initial' : ''}`); },
    onUpdate: (a, b) => { log.push(`update ${b.metadata.name}@${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`); },
    onDelete: (o) => {
      if (o instanceof DeletedFinalStateUnknown) log.push(`delete ${o.key}@${o.obj.metadata.resourceVersion} tombstone`);
      else log.push(`delete ${o.metadata.name}@${o.metadata.resourceVersion}`);
    },
  };
}

function newInformer(extra: Pick<SharedInformerOptions, 'pageSize' | 'labelSelector' | 'fieldSelector' | 'transform'> = {}): SharedInformer {
  informer = new SharedInformer(rest.resource(configmaps, 'default'), {
    name: 'configmaps',
    backoff: { initialMs: 1, maxMs: 4, jitter: 0 },
    random: () => 0.5,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  informer.addEventHandler(recorder());
  return informer;
}

const lists = () => srv.requestsTo(PATH, false);
const watches = () => srv.requestsTo(PATH, true);

beforeEach(async () => {
  srv = await FakeApiServer.start();
  rest = new RestClient(configForServer(srv.url));
  cms = srv.collection(PATH, 'ConfigMap');
  log = [];
  events = [];
});

afterEach(async () => {
  await informer?.stop();
  informer = undefined;
  rest.close();
  await srv.close();
});

test('list then watch from the list RV with bookmarks; add/update/delete notifications in order', async () => {
  cms.put(cm('a'));
  cms.put(cm('b'));
  const inf = newInformer();
  inf.run();
  assert.equal(await inf.waitForSync(), true);
  assert.equal(inf.hasSynced(), true);
  assert.deepEqual(log, ['add a@101 initial', 'add b@102 initial']);
  const l = lists()[0].query;
  assert.equal(l.get('resourceVersion'), '0', 'first list may be served from cache');
  assert.equal(l.get('limit'), '500');

  await waitFor(() => cms.liveWatches === 1, 'watch opened');
  const w = watches()[0].query;
  assert.equal(w.get('resourceVersion'), '102');
  assert.equal(w.get('allowWatchBookmarks'), 'true');
  assert.equal(w.get('timeoutSeconds'), '450', 'min 300 * (1 + 0.5)');

  cms.put(cm('a', '2'));
  cms.remove('b');
  cms.put(cm('c'));
  await waitFor(() => log.length === 5, 'three watch notifications');
  assert.deepEqual(log.slice(2), ['update a@101->103', 'delete b@104', 'add c@105']);
  assert.deepEqual(inf.indexer.byIndex(byNamespace, 'default').map((o) => o.metadata.name).sort(), ['a', 'c']);
  assert.equal((inf.indexer.getByKey("default/a") as unknown as { data: { v: string } }).data.v, "2");
  assert.equal(inf.lastSyncResourceVersion(), '105');
});

test('a handler added after start gets the cached objects as initial adds', async () => {
  cms.put(cm('a'));
  const inf = newInformer();
  inf.run();
  await inf.waitForSync();
  const late: string[] = [];
  const reg = inf.addEventHandler({ onAdd: (o, initial) => { late.push(`${o.metadata.name} ${initial}`); } });
  assert.deepEqual(late, ['a true']);
  assert.equal(reg.hasSynced(), true);
  reg.remove();
  await waitFor(() => cms.liveWatches === 1, 'watch opened');
  cms.put(cm('b'));
  await waitFor(() => log.includes('add b@102'), 'b added');
  assert.deepEqual(late, ['a true'], 'removed handler gets nothing');
});

test('bookmarks move the resourceVersion; a cleanly closed watch is re-opened from it without a relist', async () => {
  cms.put(cm('a'));
  const inf = newInformer();
  inf.run();
  await waitFor(() => cms.liveWatches === 1, 'watch opened');
  srv.nextRV();
  srv.nextRV();
  cms.bookmark();
  await waitFor(() => inf.lastSyncResourceVersion() === '103', 'bookmark RV applied');
  cms.closeWatches();
  await waitFor(() => watches().length === 2 && cms.liveWatches === 1, 'second watch');
  assert.equal(watches()[1].query.get('resourceVersion'), '103');
  assert.equal(lists().length, 1, 'no relist');
  assert.deepEqual(log, ['add a@101 initial'], 'bookmarks notify nobody');
});

test('ERROR 410 event → relist from the last RV; vanished objects arrive as tombstones, survivors as updates', async () => {
  cms.put(cm('a'));
  cms.put(cm('b'));
  let trigger!: () => void;
  const triggered = new Promise<void>((r) => { trigger = r; });
  cms.watchScripts.push(async (s) => {
    await triggered;
    s.send('ERROR', statusBody(410, 'Expired', 'too old resource version: 102 (104)'));
    s.end();
  });
  const inf = newInformer();
  inf.run();
  await waitFor(() => watches().length === 1, 'scripted watch open');
  cms.put(cm('a', '2')); // not delivered: the scripted watch ignores the collection
  cms.removeSilently('b');
  trigger();
  await waitFor(() => lists().length === 2 && log.length === 4, 'relist notifications');
  assert.equal(lists()[1].query.get('resourceVersion'), '102', 'relist asks the last seen RV');
  assert.deepEqual(log, ['add a@101 initial', 'add b@102 initial', 'update a@101->103', 'delete default/b@102 tombstone']);
  assert.equal(inf.stats.relists, 1);
  assert.ok(events.some((e) => e.type === 'relist' && e.reason === 'expired'));
  await waitFor(() => cms.liveWatches === 1, 'watching again');
  assert.equal(watches()[1].query.get('resourceVersion'), '104');
});

test('bare HTTP 410 on the watch request → relist', async () => {
  cms.put(cm('a'));
  cms.watchFailures.push({ code: 410, body: statusBody(410, 'Gone', 'too old resource version: 101 (150)') });
  const inf = newInformer();
  inf.run();
  await waitFor(() => lists().length === 2 && cms.liveWatches === 1, 'relisted and watching');
  const err = events.find((e) => e.type === 'watchError');
  assert.ok(err && err.type === 'watchError' && err.error instanceof StatusError && err.error.code === 410);
  assert.deepEqual(log, ['add a@101 initial', 'update a@101->101'], 'a relist reports survivors as updates even when unchanged');
});

test('a list answered 410 for its RV is retried at once with RV "" (consistent list)', async () => {
  cms.put(cm('a'));
  cms.watchScripts.push((s) => { s.send('ERROR', statusBody(410, 'Expired', 'too old')); s.end(); });
  cms.expiredListRVs.add('101');
  const inf = newInformer();
  inf.run();
  await waitFor(() => lists().length === 3 && cms.liveWatches === 1, 'three lists then a watch');
  assert.deepEqual(lists().map((r) => r.query.get('resourceVersion')), ['0', '101', null]);
});

test('a stream closed in the middle of an event: the complete event is applied, the watch resumes from it', async () => {
  cms.put(cm('a'));
  const inf = newInformer();
  cms.watchScripts.push(async (s) => {
    const added = cms.put(cm('c'));
    const modified = cms.put(cm('c', '2'));
    s.send('ADDED', added);
    const line = JSON.stringify({ type: 'MODIFIED', object: modified }) + '\n';
    s.raw(line.slice(0, Math.floor(line.length / 2)));
    s.end();
  });
  inf.run();
  await waitFor(() => watches().length === 2 && log.length === 3, 'resumed watch delivered the cut event');
  assert.equal(watches()[1].query.get('resourceVersion'), '102', 'resumes after the last complete event');
  assert.equal(lists().length, 1, 'no relist');
  assert.deepEqual(log, ['add a@101 initial', 'add c@102', 'update c@102->103']);
  const trunc = events.find((e) => e.type === 'watchError');
  assert.ok(trunc && trunc.type === 'watchError' && trunc.error instanceof WatchDecodeError && trunc.error.truncated);
});

test('a malformed event is an error: reported, then backoff and relist', async () => {
  cms.put(cm('a'));
  cms.watchScripts.push((s) => { s.raw('{"type":"ADDED","object":{"metadata":{"name":"x","namespace":"default"}}}\nthis is not json\n'); });
  const inf = newInformer();
  inf.run();
  await waitFor(() => lists().length === 2 && cms.liveWatches === 1, 'relisted and watching');
  const err = events.find((e) => e.type === 'watchError');
  assert.ok(err && err.type === 'watchError' && err.error instanceof WatchDecodeError && !err.error.truncated);
  assert.ok(events.some((e) => e.type === 'backoff'));
  // x was applied before the bad line, then the relist found it gone: a tombstone.
  assert.deepEqual(log, ['add a@101 initial', 'add x@undefined', 'update a@101->101', 'delete default/x@undefined tombstone']);
});

test('a watch that ends at once with nothing delivered counts as an error (very short watch) → relist', async () => {
  cms.put(cm('a'));
  cms.watchScripts.push((s) => s.end());
  const inf = newInformer();
  inf.run();
  await waitFor(() => lists().length === 2 && cms.liveWatches === 1, 'relisted and watching');
  assert.ok(events.some((e) => e.type === 'relist' && e.reason === 'shortWatch'));
});

test('list errors back off and retry until the list works', async () => {
  cms.put(cm('a'));
  const err = { code: 500, body: statusBody(500, 'InternalError', 'Internal error occurred: etcd down') };
  cms.listFailures.push(err, err);
  const inf = newInformer();
  inf.run();
  assert.equal(await inf.waitForSync(), true);
  assert.equal(events.filter((e) => e.type === 'listError').length, 2);
  assert.equal(events.filter((e) => e.type === 'backoff').length >= 2, true);
});

test('paged list: limit/continue pages, RV only on the first page, one replace', async () => {
  for (const n of ['a', 'b', 'c', 'd', 'e']) cms.put(cm(n));
  const inf = newInformer({ pageSize: 2 });
  inf.run();
  await inf.waitForSync();
  const l = lists();
  assert.equal(l.length, 3);
  assert.deepEqual(l.map((r) => [r.query.get('limit'), r.query.get('continue'), r.query.get('resourceVersion')]), [['2', null, '0'], ['2', '2', null], ['2', '4', null]]);
  assert.equal(inf.indexer.size, 5);
  assert.equal(log.length, 5);
});

test('stop(): the watch is closed, no more requests or notifications, waitForSync of a stopped informer is false', async () => {
  cms.put(cm('a'));
  const inf = newInformer();
  inf.run();
  await waitFor(() => cms.liveWatches === 1, 'watch opened');
  await inf.stop();
  await waitFor(() => cms.liveWatches === 0, 'server saw the watch close');
  const n = srv.requests.length;
  cms.put(cm('b'));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(srv.requests.length, n);
  assert.deepEqual(log, ['add a@101 initial']);

  srv.on('GET', PATH, (_req, res) => { res.writeHead(500); res.end(); });
  const never = newInformer();
  never.run();
  const pending = never.waitForSync();
  await never.stop();
  assert.equal(await pending, false);
});

test('stop() aborts a watch request the server never answers', async () => {
  cms.put(cm('a'));
  srv.on('GET', PATH, (req, res) => {
    if (req.query.get('watch') === 'true') return; // never answer
    cms.serveList(req.query, res);
  });
  const inf = newInformer();
  inf.run();
  await waitFor(() => watches().length === 1, 'watch requested');
  await inf.stop();
  assert.equal(inf.hasSynced(), true);
});

test('label and field selectors are sent on every list and watch', async () => {
  cms.put(cm('a'));
  const inf = newInformer({ labelSelector: 'app=web', fieldSelector: 'metadata.name=a' });
  inf.run();
  // The server sees the watch request before the client has read the response headers and counted it.
  await waitFor(() => cms.liveWatches === 1 && inf.stats.watches === 1, 'watch opened');
  for (const r of [lists()[0], watches()[0]]) {
    assert.equal(r.query.get('labelSelector'), 'app=web');
    assert.equal(r.query.get('fieldSelector'), 'metadata.name=a');
  }
  assert.equal(inf.stats.lists, 1);
  assert.equal(inf.stats.watches, 1);
});

// Transforms (client-go SharedInformer.SetTransform, shared_informer.go: "The TransformFunc is called for
// each object which is about to be stored"): every listed and watched object, before the store and the
// handlers; the transform keeps the metadata the store needs (name, namespace, resourceVersion).

type Slim = KObject & { data?: { v: string }; slim?: true };

/** Keeps name, namespace, resourceVersion and data.v; marks the copy; counts calls per object name. */
function slimmer(calls: string[]): (o: KObject) => KObject {
  return (o) => {
    calls.push(o.metadata.name!);
    const { name, namespace, resourceVersion } = o.metadata;
    return { metadata: { name, namespace, resourceVersion }, data: { v: (o as Slim).data!.v }, slim: true } as Slim;
  };
}

function fat(name: string, v = '1'): KObject {
  return { metadata: { name, namespace: 'default', labels: { big: 'x'.repeat(100) }, annotations: { a: 'b' } }, data: { v, blob: 'y'.repeat(1000) } } as KObject;
}

const isSlim = (o: KObject): boolean => (o as Slim).slim === true && Object.keys(o.metadata).every((k) => ['name', 'namespace', 'resourceVersion'].includes(k)) &&
  Object.keys((o as Slim).data ?? {}).join() === 'v';

test('transform: applied to listed objects and to watch ADDED/MODIFIED/DELETED before the cache and the handlers', async () => {
  cms.put(fat('a'));
  cms.put(fat('b'));
  const calls: string[] = [];
  const seen: KObject[] = [];
  const inf = newInformer({ transform: slimmer(calls) });
  inf.addEventHandler({ onAdd: (o) => { seen.push(o); }, onUpdate: (a, b) => { seen.push(a, b); }, onDelete: (o) => { seen.push(o as KObject); } });
  inf.run();
  assert.equal(await inf.waitForSync(), true);
  assert.deepEqual(calls, ['a', 'b'], 'list items, once each');
  assert.ok(inf.indexer.list().every(isSlim), 'the cache holds transformed objects');
  await waitFor(() => cms.liveWatches === 1, 'watch opened');
  cms.put(fat('a', '2'));
  cms.remove('b');
  cms.put(fat('c'));
  await waitFor(() => log.length === 5, 'three watch notifications');
  assert.deepEqual(log, ['add a@101 initial', 'add b@102 initial', 'update a@101->103', 'delete b@104', 'add c@105'], 'resourceVersions kept');
  assert.deepEqual(calls, ['a', 'b', 'a', 'b', 'c'], 'one call per watch event (ADDED, MODIFIED, DELETED)');
  assert.equal(seen.length, 6);
  assert.ok(seen.every(isSlim), 'handlers see transformed objects only (old and new, deleted final state)');
  assert.ok(inf.indexer.list().every(isSlim));
  assert.equal((inf.indexer.getByKey('default/a') as Slim).data!.v, '2');
  assert.deepEqual(inf.indexer.byIndex(byNamespace, 'default').map((o) => o.metadata.name).sort(), ['a', 'c'], 'keys and namespace index from the kept metadata');
});

test('transform on relist: survivors are updates between transformed objects with comparable resourceVersions; tombstones hold the transformed state', async () => {
  cms.put(fat('a'));
  cms.put(fat('b'));
  cms.put(fat('c'));
  let trigger!: () => void;
  const triggered = new Promise<void>((r) => { trigger = r; });
  cms.watchScripts.push(async (s) => {
    await triggered;
    s.send('ERROR', statusBody(410, 'Expired', 'too old resource version: 103 (106)'));
    s.end();
  });
  const calls: string[] = [];
  const updates: Array<[KObject, KObject]> = [];
  const tombstones: DeletedFinalStateUnknown[] = [];
  const inf = newInformer({ transform: slimmer(calls) });
  inf.addEventHandler({
    onUpdate: (a, b) => { updates.push([a, b]); },
    onDelete: (o) => { if (o instanceof DeletedFinalStateUnknown) tombstones.push(o); },
  });
  inf.run();
  await waitFor(() => watches().length === 1, 'scripted watch open');
  cms.put(fat('a', '2')); // missed by the scripted watch, found by the relist
  cms.removeSilently('c');
  trigger();
  await waitFor(() => lists().length === 2 && log.length === 6, 'relist notifications');
  assert.deepEqual(log.slice(3), ['update a@101->104', 'update b@102->102', 'delete default/c@103 tombstone']);
  assert.deepEqual(calls, ['a', 'b', 'c', 'a', 'b'], 'the relist transforms every item again');
  // The relist-survivor check (watch.ts, controllers): unchanged objects keep equal resourceVersions.
  const changed = updates.filter(([o, n]) => o.metadata.resourceVersion !== n.metadata.resourceVersion).map(([, n]) => n.metadata.name);
  assert.deepEqual(changed, ['a']);
  assert.ok(updates.flat().every(isSlim));
  assert.equal(tombstones.length, 1);
  assert.ok(isSlim(tombstones[0]!.obj as KObject), 'tombstone carries the last transformed state');
  assert.ok(inf.indexer.list().every(isSlim));
});

test('factory: a transform per informer; the same informer again with another transform throws', () => {
  const f = new SharedInformerFactory(rest);
  const calls: string[] = [];
  const t = slimmer(calls);
  const inf = f.informer(configmaps, 'default', { transform: t });
  assert.equal(f.informer(configmaps, 'default', { transform: t }), inf, 'same transform: the shared informer');
  assert.throws(() => f.informer(configmaps, 'default'), /different transform/);
  assert.throws(() => f.informer(configmaps, 'default', { transform: (o) => o }), /different transform/);
  const plain = f.informer(configmaps, 'other');
  assert.notEqual(plain, inf, 'another namespace is another informer, without the transform');
  assert.equal(f.informer(configmaps, 'other'), plain);
});

test('factory: the transform reaches the informer (listed objects are stored transformed)', async () => {
  cms.put(fat('a'));
  const f = new SharedInformerFactory(rest);
  const calls: string[] = [];
  const inf = f.informer(configmaps, 'default', { transform: slimmer(calls) });
  f.start();
  await f.waitForSync({ timeoutMs: 10_000 });
  try {
    assert.deepEqual(calls, ['a']);
    assert.ok(isSlim(inf.indexer.getByKey('default/a')!));
  } finally {
    await f.stop();
  }
});
