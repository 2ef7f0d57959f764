// The DNS wire codec: see README.md.
export { FormatError, decodeMessage, decodeFlags } from './decode.ts';
export type { DecodeOptions } from './decode.ts';
export { encodeMessage, encodeFlags, nameToWire, nameLength } from './encode.ts';
export type { EncodeOptions } from './encode.ts';
export {
  parseIPv4, parseIPv6, formatIPv4, formatIPv6, canonicalIP, reverseName, parseReverseName,
} from './ip.ts';
