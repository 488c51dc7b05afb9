const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

/** The UTF-8 bytes of a text, one at a time (by hand: workflow code has no Buffer). */
function* utf8Bytes(text: string): Generator<number> {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) yield code;
    else if (code < 0x800) yield* [0xc0 | (code >> 6), 0x80 | (code & 0x3f)];
    else if (code < 0x10000) yield* [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
    else yield* [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
  }
}

/**
 * FNV-1a, 64 bits, as 16 hex digits: a short, stable fingerprint of a text, the one idra uses everywhere a
 * name must follow from a text (a deny policy id from its incident, a role assignment's GUID from what it
 * replaces) or repeated content must be recognised without being kept. `seed` varies the offset basis, for a
 * second, independent fingerprint. Not a security boundary: a collision makes two texts one name.
 */
export function fnv1a64(text: string, seed: bigint = FNV_OFFSET): string {
  let hash = seed;
  for (const byte of utf8Bytes(text)) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * FNV_PRIME);
  return hash.toString(16).padStart(16, '0');
}

/**
 * A fingerprint of a text, to recognise repeated content (a signal sent again under another id) without
 * keeping it: two 32-bit FNV-1a hashes of its UTF-16 code units, with different seeds. It runs in workflow
 * code on every signal a response takes (thousands, of kilobytes each, on a long wait), where the 64-bit
 * BigInt arithmetic of fnv1a64 costs tens of times more; its values never leave the response.
 */
export function contentDigest(text: string): string {
  let first = 0x811c9dc5;
  let second = 0x01000193 ^ text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193) >>> 0;
    second = Math.imul(second ^ code, 0x5bd1e995) >>> 0;
  }
  return first.toString(16).padStart(8, '0') + second.toString(16).padStart(8, '0');
}
