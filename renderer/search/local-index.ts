import type { SearchCorpus, SearchHit } from '../../shared/contract';
import type { CoreClient, Timers } from '../../shared/rpc';
import { createMemoryIndex, type MemoryIndex } from '../../shared/search/memory-index';

export interface LocalIndexDeps {
  now: () => Date;
  timers: Timers;
  /** After a failed load, when to try again. */
  retryMs?: number;
  /** Runs the first load when the page is idle (after sign-in it is drawing the desk). Default: at once. */
  idle?: (fn: () => void) => void;
}

// Entries indexed between two pauses: a slice stays well inside one frame, so the page keeps
// painting (and the agent typing) while the index is built.
const SLICE = 40;

/**
 * The page's own copy of the search index, so a keystroke is answered in the frame that paints it
 * (the core is a message away, which made results trail the typed text by a frame). Loaded from
 * the core after sign-in a page of entries at a time and built in slices; a new build replaces the
 * old one whole when a sync changes the entries, while the old one keeps answering; synonyms and
 * use counts are refreshed alone when only they change. Until it is ready, the core answers.
 */
export function createLocalIndex(deps: LocalIndexDeps) {
  let ready: MemoryIndex | null = null;
  let client: CoreClient | null = null;
  // Each load has a number; one that is no longer the latest stops where it is.
  let latest = 0;
  let unsubscribe: (() => void) | null = null;
  let retry: unknown = null;
  const changed = new Set<() => void>();
  const pause = () => new Promise<void>((resolve) => deps.timers.setTimeout(resolve, 0));

  async function priorsInto(index: MemoryIndex, c: CoreClient): Promise<void> {
    const priors = await c.call('searchPriors', {});
    index.setSynonyms(priors.synonyms);
    index.setUsage(priors.usage);
    if (index === ready) changed.forEach((l) => l());
  }

  async function build(c: CoreClient, mine: number): Promise<void> {
    const index = createMemoryIndex();
    for (let after: number | null = 0; after !== null; ) {
      const page: SearchCorpus = await c.call('searchCorpus', { after });
      for (let i = 0; i < page.entries.length; i += SLICE) {
        if (mine !== latest) return;
        for (const e of page.entries.slice(i, i + SLICE)) index.add(e);
        await pause();
      }
      after = page.next;
    }
    await priorsInto(index, c);
    if (mine !== latest) return;
    // One query through the whole path, so the agent's first keystroke is as quick as the rest.
    index.search('민원 신청', 1, deps.now());
    ready = index;
    changed.forEach((l) => l());
  }

  function load(c: CoreClient): void {
    const mine = ++latest;
    if (retry !== null) deps.timers.clearTimeout(retry);
    retry = null;
    build(c, mine).catch(() => {
      // The core stays the answer until a load succeeds.
      if (mine === latest && client === c) retry = deps.timers.setTimeout(() => load(c), deps.retryMs ?? 10_000);
    });
  }

  return {
    /** Follows the desk's client: loads for a signed-in desk, forgets on sign-out or a new core. */
    use(c: CoreClient | null): void {
      if (c === client) return;
      unsubscribe?.();
      unsubscribe = null;
      ready = null;
      client = c;
      latest++;
      if (!c) return;
      unsubscribe = c.on('searchCorpus', ({ text }) => {
        if (text || !ready) load(c);
        else void priorsInto(ready, c).catch(() => load(c));
      });
      (deps.idle ?? ((fn) => fn()))(() => {
        if (client === c && !ready) load(c);
      });
    },
    /** The answer from the page's index, or null while it is not ready (ask the core). */
    search(query: string, limit: number): SearchHit[] | null {
      return ready ? ready.search(query, limit, deps.now()) : null;
    },
    /** An entry opened: counted here as the core counts it, so both rank alike until the next sync. */
    used(id: string): void {
      ready?.used(id);
    },
    /** Calls `listener` whenever answers may have changed (a new build, new synonyms or counts). */
    onChange(listener: () => void): () => void {
      changed.add(listener);
      return () => changed.delete(listener);
    },
    get ready(): boolean {
      return ready !== null;
    },
  };
}

export type LocalIndex = ReturnType<typeof createLocalIndex>;
