/**
 * UTF-8 encoding and decoding of strings. TextEncoder is a DOM / Node API, which this environment-neutral core
 * may not assume (its tsconfig has lib ES2022 only), so this is the small standard algorithm.
 */

/** Encodes a string as UTF-8 bytes. */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Decodes UTF-8 bytes (assumed well-formed: we only decode what utf8Encode wrote). */
export function utf8Decode(b: Uint8Array): string {
  let s = '';
  let i = 0;
  while (i < b.length) {
    const x = b[i];
    // The lead byte says how many continuation bytes follow (0–3).
    const extra = x < 0x80 ? 0 : x < 0xe0 ? 1 : x < 0xf0 ? 2 : 3;
    let c = extra === 0 ? x : x & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) c = (c << 6) | (b[i + k] & 63);
    s += String.fromCodePoint(c);
    i += extra + 1;
  }
  return s;
}
