// Loads the wire codec by module URL, so worker threads (which cannot receive functions) and tests (a
// fake codec) pick it the same way. A module exporting `codec` is used as is; otherwise its
// `decodeMessage` / `encodeMessage` (the src/dns/wire contract) are wrapped.

import type { Codec } from './types.ts';

/** The real codec: src/dns/wire (decodeMessage / encodeMessage). */
export const WIRE_CODEC_MODULE = new URL('../wire/index.ts', import.meta.url).href;

export async function loadCodec(module: string = WIRE_CODEC_MODULE): Promise<Codec> {
  const mod = (await import(module)) as Record<string, unknown>;
  if (mod.codec && typeof mod.codec === 'object') return mod.codec as Codec;
  const decode = mod.decodeMessage;
  const encode = mod.encodeMessage;
  if (typeof decode !== 'function' || typeof encode !== 'function') throw new Error(`${module} exports neither a codec nor decodeMessage/encodeMessage`);
  return { decode: decode as Codec['decode'], encode: encode as Codec['encode'] };
}
