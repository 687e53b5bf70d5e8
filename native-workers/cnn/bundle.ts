/**
 * A tiny binary container: a JSON header plus named float32 sections, used for model files and checkpoints.
 *
 *   bytes 0..3   "CNNS" magic
 *   bytes 4..7   format version (uint32 LE)
 *   bytes 8..11  header length H in bytes (uint32 LE)
 *   12 .. 12+H   header JSON (UTF-8), padded with spaces to a multiple of 4
 *   then         each section's float32 values, little-endian, in header order
 *
 * The header lists the sections as [name, length]; floats are stored bit for bit, so a round trip is exact.
 */
import { utf8Decode, utf8Encode } from './utf8';

const MAGIC = [0x43, 0x4e, 0x4e, 0x53]; // "CNNS"
const VERSION = 1;

/** Named float32 arrays stored after the header. */
export type Sections = Record<string, Float32Array>;

/** Packs a JSON-able header and float32 sections into one buffer. */
export function encodeBundle(header: object, sections: Sections): Uint8Array {
  const names = Object.keys(sections);
  const json = JSON.stringify({ ...header, sections: names.map((n) => [n, sections[n].length]) });
  let headerBytes = utf8Encode(json);
  const padded = Math.ceil(headerBytes.length / 4) * 4;
  if (padded !== headerBytes.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(headerBytes);
    headerBytes = p;
  }
  const floats = names.reduce((n, k) => n + sections[k].length, 0);
  const out = new Uint8Array(12 + padded + 4 * floats);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, padded, true);
  out.set(headerBytes, 12);
  let offset = 12 + padded;
  for (const n of names) {
    const a = sections[n];
    for (let i = 0; i < a.length; i++, offset += 4) view.setFloat32(offset, a[i], true);
  }
  return out;
}

/** Unpacks a buffer written by encodeBundle; throws on a wrong magic, version or size. */
export function decodeBundle<H>(bytes: Uint8Array): { header: H; sections: Sections } {
  if (bytes.length < 12 || MAGIC.some((m, i) => bytes[i] !== m))
    throw new Error('not a CNN Studio model file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw new Error(`unsupported model file version ${version}`);
  const headerLength = view.getUint32(8, true);
  const parsed = JSON.parse(utf8Decode(bytes.subarray(12, 12 + headerLength)));
  const list = parsed.sections as [string, number][];
  const sections: Sections = {};
  let offset = 12 + headerLength;
  for (const [name, length] of list) {
    if (offset + 4 * length > bytes.length) throw new Error(`model file truncated in section ${name}`);
    const a = new Float32Array(length);
    for (let i = 0; i < length; i++, offset += 4) a[i] = view.getFloat32(offset, true);
    sections[name] = a;
  }
  if (offset !== bytes.length) throw new Error('model file has trailing bytes');
  delete parsed.sections;
  return { header: parsed as H, sections };
}
