// kubeconfig loading (k8s.io/client-go/tools/clientcmd, simplified): one or more YAML files merged the way
// KUBECONFIG merges them, a context chosen (explicit, else current-context), and the cluster/user/namespace
// of that context flattened into a ClientConfig. Also the in-cluster service-account config.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface TLSConfig {
  /** PEM text (certificate-authority-data, base64-decoded). */
  caData?: string;
  caFile?: string;
  certData?: string;
  certFile?: string;
  keyData?: string;
  keyFile?: string;
  insecureSkipTLSVerify?: boolean;
  serverName?: string;
}

export interface AuthConfig {
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
}

export interface ClientConfig {
  /** Base URL of the API server, e.g. `https://127.0.0.1:6443` (a path prefix is kept). */
  server: string;
  /** The context's namespace, `default` when unset. */
  namespace: string;
  tls: TLSConfig;
  auth: AuthConfig;
  contextName?: string;
  clusterName?: string;
  userName?: string;
}

/** Thrown for unusable kubeconfigs; messages follow clientcmd's where it has one. */
export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

interface Named<T> { name: string; value: T }
interface RawCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}
interface RawUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
}
interface RawContext { cluster?: string; user?: string; namespace?: string }

interface Merged {
  currentContext: string;
  clusters: Map<string, { v: RawCluster; dir: string }>;
  users: Map<string, { v: RawUser; dir: string }>;
  contexts: Map<string, RawContext>;
}

function asObject(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function namedList<T>(v: unknown, field: string): Array<Named<T>> {
  if (!Array.isArray(v)) return [];
  const out: Array<Named<T>> = [];
  for (const e of v) {
    const o = asObject(e);
    if (typeof o.name !== 'string') continue;
    out.push({ name: o.name, value: asObject(o[field]) as T });
  }
  return out;
}

/** Adds one file's content; the first file to define a name (or current-context) wins, as clientcmd merges. */
function mergeInto(m: Merged, text: string, dir: string, source: string): void {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new KubeConfigError(`error loading config file "${source}": ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) return;
  const o = asObject(doc);
  if (!m.currentContext && typeof o['current-context'] === 'string') m.currentContext = o['current-context'];
  for (const c of namedList<RawCluster>(o.clusters, 'cluster')) if (!m.clusters.has(c.name)) m.clusters.set(c.name, { v: c.value, dir });
  for (const u of namedList<RawUser>(o.users, 'user')) if (!m.users.has(u.name)) m.users.set(u.name, { v: u.value, dir });
  for (const c of namedList<RawContext>(o.contexts, 'context')) if (!m.contexts.has(c.name)) m.contexts.set(c.name, c.value);
}

function emptyMerged(): Merged {
  return { currentContext: '', clusters: new Map(), users: new Map(), contexts: new Map() };
}

function b64(s: string | undefined): string | undefined {
  return s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');
}

function filePath(p: string | undefined, dir: string): string | undefined {
  if (!p) return undefined;
  return isAbsolute(p) ? p : resolve(dir, p);
}

function flatten(m: Merged, contextOverride: string | undefined): ClientConfig {
  const contextName = contextOverride || m.currentContext;
  if (!contextName) {
    if (m.clusters.size === 0 && m.contexts.size === 0) {
      throw new KubeConfigError('invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable');
    }
    throw new KubeConfigError('invalid configuration: no context chosen');
  }
  const ctx = m.contexts.get(contextName);
  if (!ctx) throw new KubeConfigError(`context was not found for specified context: ${contextName}`);
  const clusterName = ctx.cluster ?? '';
  const cluster = m.clusters.get(clusterName);
  if (!cluster) throw new KubeConfigError(`cluster "${clusterName}" not found`);
  const server = cluster.v.server;
  if (!server) throw new KubeConfigError('invalid configuration: cluster has no server defined');
  const userName = ctx.user ?? '';
  const user = m.users.get(userName) ?? { v: {} as RawUser, dir: cluster.dir };
  const tls: TLSConfig = {
    caData: b64(cluster.v['certificate-authority-data']),
    caFile: filePath(cluster.v['certificate-authority'], cluster.dir),
    certData: b64(user.v['client-certificate-data']),
    certFile: filePath(user.v['client-certificate'], user.dir),
    keyData: b64(user.v['client-key-data']),
    keyFile: filePath(user.v['client-key'], user.dir),
    insecureSkipTLSVerify: cluster.v['insecure-skip-tls-verify'] === true ? true : undefined,
    serverName: cluster.v['tls-server-name'],
  };
  const auth: AuthConfig = {
    token: user.v.token,
    tokenFile: filePath(user.v.tokenFile, user.dir),
    username: user.v.username,
    password: user.v.password,
  };
  return {
    server,
    namespace: ctx.namespace || 'default',
    tls: dropUndefined(tls),
    auth: dropUndefined(auth),
    contextName,
    clusterName,
    userName: userName || undefined,
  };
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

/** Parses kubeconfig YAML text. Relative file paths resolve against baseDir (the file's folder). */
export function parseKubeConfig(text: string, opts: { context?: string; baseDir?: string } = {}): ClientConfig {
  const m = emptyMerged();
  mergeInto(m, text, opts.baseDir ?? process.cwd(), '<text>');
  return flatten(m, opts.context);
}

export interface LoadOptions {
  /** One file, or several separated by the platform delimiter (`:`). Default: $KUBECONFIG, else ~/.kube/config. */
  path?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
}

/** Loads and merges kubeconfig files (missing files in a KUBECONFIG list are skipped, as clientcmd does). */
export function loadKubeConfig(opts: LoadOptions = {}): ClientConfig {
  const env = opts.env ?? process.env;
  const explicit = opts.path !== undefined;
  const spec = opts.path ?? env.KUBECONFIG ?? join(homedir(), '.kube', 'config');
  const paths = spec.split(delimiter).filter((p) => p !== '');
  const m = emptyMerged();
  for (const p of paths) {
    let text: string;
    try {
      text = readFileSync(p, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !(explicit && paths.length === 1)) continue;
      throw new KubeConfigError(`error loading config file "${p}": ${(e as Error).message}`);
    }
    mergeInto(m, text, dirname(resolve(p)), p);
  }
  return flatten(m, opts.context);
}

/** A config for a plain URL (tests, the all-in-one server on loopback). */
export function configForServer(server: string, opts: { namespace?: string; token?: string } = {}): ClientConfig {
  return { server, namespace: opts.namespace ?? 'default', tls: {}, auth: opts.token ? { token: opts.token } : {} };
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * rest.InClusterConfig: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT with the service account's
 * token file and CA. Throws `unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and
 * KUBERNETES_SERVICE_PORT must be defined` outside a pod.
 */
export function inClusterConfig(env: NodeJS.ProcessEnv = process.env, dir = SA_DIR): ClientConfig {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new KubeConfigError('unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined');
  }
  let namespace = 'default';
  try {
    namespace = readFileSync(join(dir, 'namespace'), 'utf8').trim() || 'default';
  } catch {
    // no namespace file: default
  }
  const h = host.includes(':') ? `[${host}]` : host;
  return { server: `https://${h}:${port}`, namespace, tls: { caFile: join(dir, 'ca.crt') }, auth: { tokenFile: join(dir, 'token') } };
}
