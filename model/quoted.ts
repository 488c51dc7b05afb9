/** How much of an offending value an error quotes: enough to recognise it, never a megabyte back. */
export const QUOTED_CHARS = 60;

/** A value as an error message quotes it: JSON, cut short when long (hostile input is echoed bounded). */
export function quoted(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = `(a ${typeof value} that cannot be shown)`;
  }
  return text.length <= QUOTED_CHARS ? text : `${text.slice(0, QUOTED_CHARS)}… (${text.length} characters)`;
}
