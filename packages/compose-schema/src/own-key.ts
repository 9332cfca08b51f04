/**
 * Sets `key` on `target` as an own data property. `__proto__` is a key like any other in a compose file,
 * never the object's prototype; every other key takes a plain assignment, much faster than defining it.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else target[key] = value;
}
