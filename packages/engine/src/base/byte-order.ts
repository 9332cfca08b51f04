/**
 * Orders strings by their UTF-16 code units, as Go's `sort.Strings` orders compose's names (the same for
 * ASCII). Not `localeCompare`: its first call loads ICU's collator, ~10 ms of every command's start-up,
 * and it orders `a-b`/`a_b` and upper case unlike compose.
 */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
