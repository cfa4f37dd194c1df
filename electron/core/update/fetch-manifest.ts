import { MAX_MANIFEST_BYTES } from '../../../shared/release';

export type FetchLike = (url: string, init: { signal: AbortSignal; redirect: 'error' }) => Promise<Response>;

/**
 * Reads a manifest from the feed: no redirects, a time limit, and at most a little over the
 * largest manifest (a longer answer is cut and then refused as malformed by the verifier).
 */
export async function fetchManifest(url: string, fetchImpl: FetchLike, timeoutMs = 15_000): Promise<string> {
  const res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  if (!res.ok || !res.body) throw new Error(`update feed answered ${res.status} for ${url}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size > MAX_MANIFEST_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}
