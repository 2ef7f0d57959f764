// Request bodies in, response bodies out. Bodies are JSON, YAML or (for kubectl's typed generators)
// protobuf; responses are JSON, YAML, or server-side Tables (kubectl-compatibility.md §2.4, §2.5, §2.8).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../api/status.ts';
import { stringify as yamlStringify } from 'yaml';
import { decodeProtobufObject } from './protobuf.ts';

/** kube-apiserver's default --max-request-body-bytes is 3 MiB. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;
export type PatchType = (typeof PATCH_TYPES)[number];

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** Reads the whole body, refusing more than MAX_BODY_BYTES with 413 (the connection is then closed). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) {
      reject(requestEntityTooLarge(`limit is ${limit}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        reject(requestEntityTooLarge(`limit is ${limit}`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => { if (!done) { done = true; resolve(Buffer.concat(chunks)); } });
    req.on('error', (e) => { if (!done) { done = true; reject(e); } });
    req.on('aborted', () => { if (!done) { done = true; reject(badRequest('the client closed the connection before sending the whole body')); } });
  });
}

/** Decodes a create/update body by Content-Type. */
export function decodeObject(body: Buffer, contentType: string | undefined): unknown {
  const mt = mediaType(contentType);
  if (body.length === 0) throw badRequest('the body of the request is empty');
  if (mt === 'application/json' || mt === '') return parseJson(body);
  if (mt === 'application/yaml' || mt === 'application/x-yaml' || mt === 'text/yaml') return parseYamlBody(body);
  if (mt === 'application/vnd.kubernetes.protobuf') return decodeProtobufObject(body);
  throw unsupportedMediaType(mt);
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

export function parseYamlBody(body: Buffer): unknown {
  try {
    return parseYaml(body.toString('utf8'), { maxAliasCount: 100, uniqueKeys: true });
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The wire form a response should take, from the Accept header. */
export interface ResponseFormat {
  table: boolean;
  yaml: boolean;
}

export function responseFormat(accept: string | undefined): ResponseFormat {
  const a = (accept ?? '').toLowerCase();
  const table = a.split(',').some((part) => part.includes('as=table') && part.includes('g=meta.k8s.io'));
  const first = mediaType(a.split(',')[0]);
  return { table, yaml: !table && first === 'application/yaml' };
}

export function warningHeader(warnings: string[]): string[] {
  return [...new Set(warnings)].map((w) => `299 - ${JSON.stringify(w)}`);
}

export function sendObject(res: ServerResponse, code: number, body: unknown, fmt: ResponseFormat, warnings: string[] = []): void {
  const text = fmt.yaml ? yamlStringify(body) : JSON.stringify(body);
  const headers: Record<string, string | string[] | number> = {
    'Content-Type': fmt.yaml ? 'application/yaml' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length) headers['Warning'] = warningHeader(warnings);
  res.writeHead(code, headers);
  res.end(text);
}

