import { fnv1a64 } from '../../model/content-digest';

/**
 * A GUID derived from a text (two independent fingerprints), so the role assignment idra creates for one
 * removed assignment has the same name on every attempt: creating it again finds it instead of doubling it.
 */
export function guidFor(text: string): string {
  const hex = fnv1a64(text) + fnv1a64(text, 0x84222325cbf29ce4n);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What marks a client secret as idra's: its display name names the vault secret holding it. */
export const rotationMarker = (secretName: string) => `idra:${secretName}`;
