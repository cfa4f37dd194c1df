/**
 * Whether a request's Host header names this server: one of `names` (its loopback address,
 * `localhost`) with the port it came in on. A page elsewhere that rebinds its own name to
 * 127.0.0.1 sends its own name, and is refused.
 */
export function hostAllowed(names: readonly string[], host: string | undefined, port: number | undefined): boolean {
  return names.some((n) => host === `${n.includes(':') ? `[${n}]` : n}:${port}`);
}
