/**
 * Words within one edit (insert, delete or substitute one character) of a query word, by the
 * symmetric-delete method: each word is filed under itself and its one-deletion variants, so a
 * lookup costs a few map reads instead of a scan of the vocabulary.
 */
export function createNeighbourIndex() {
  const byKey = new Map<string, Set<string>>();
  const file = (key: string, word: string) => {
    let set = byKey.get(key);
    if (!set) byKey.set(key, (set = new Set()));
    set.add(word);
  };
  const variants = (s: string): string[] => {
    const out = [s];
    for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
    return out;
  };
  const distanceAtMostOne = (a: string, b: string): boolean => {
    if (Math.abs(a.length - b.length) > 1) return false;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  };
  return {
    add(key: string): void {
      for (const v of variants(key)) file(v, key);
    },
    /** Keys at distance exactly one from `key`. */
    near(key: string): string[] {
      const found = new Set<string>();
      for (const v of variants(key)) for (const w of byKey.get(v) ?? []) if (w !== key && distanceAtMostOne(key, w)) found.add(w);
      return [...found];
    },
  };
}
