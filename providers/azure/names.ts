/**
 * A GUID derived from a text (two FNV-1a 64-bit hashes), so the role assignment idra creates for one
 * removed assignment has the same name on every attempt: creating it again finds it instead of doubling it.
 */
export function guidFor(text: string): string {
  const hash = (seed: bigint) => {
    let value = seed;
    for (const byte of new TextEncoder().encode(text))
      value = BigInt.asUintN(64, (value ^ BigInt(byte)) * 0x100000001b3n);
    return value.toString(16).padStart(16, '0');
  };
  const hex = hash(0xcbf29ce484222325n) + hash(0x84222325cbf29ce4n);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What marks a client secret as idra's: its display name names the vault secret holding it. */
export const rotationMarker = (secretName: string) => `idra:${secretName}`;
