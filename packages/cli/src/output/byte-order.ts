/** Go's string order (sort.Strings, `<`): by UTF-16 code units, not by locale, as docker's lists are. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
