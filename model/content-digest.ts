/**
 * A short fingerprint of a text (two 32-bit FNV-1a hashes with different seeds), to recognise repeated
 * content without keeping it. Not a security boundary: a collision only makes a signal count as a repeat.
 * Written by hand because it also runs inside the workflow sandbox, which has no crypto module.
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
