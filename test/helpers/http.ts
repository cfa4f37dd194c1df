import { request as httpRequest } from 'node:http';
import type { LoginResponse } from '../../shared/auth';

// Minimal calls to the city server for tests that check the API itself.

/** Logs in; the whole answer (token, user, SIP account). */
export async function signIn(url: string, username: string, password: string): Promise<LoginResponse> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status}`);
  return (await res.json()) as LoginResponse;
}

/** Logs in; the bearer token. */
export async function login(url: string, username: string, password: string): Promise<string> {
  return (await signIn(url, username, password)).token;
}

export async function call(url: string, token: string | null, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; text: string }> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(`${url}${path}`, { ...init, headers });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, body, text };
}

/**
 * POSTs a body and resolves to the status the server answered with, even when the server answers
 * before the body is all sent and closes the connection (as it does for a body over its limit):
 * fetch reports that as a failed request (EPIPE), though the server did answer.
 */
/**
 * POSTs `body` and resolves to the status, or to 0 when the server cut the connection before its
 * answer could be read (a server refuses an oversized body before reading it and closes: the
 * client may see the reset before the answer).
 */
export function postStatus(url: string, token: string, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? resolve(0) : reject(e)));
    req.end(body);
  });
}

/**
 * Opens the city around the clock (a team lead's setting): callbacks are due whenever a test runs;
 * the opening hours have tests of their own.
 */
export async function openAroundTheClock(url: string, leadToken: string): Promise<void> {
  const always = { weekly: Array.from({ length: 7 }, () => [{ from: '00:00', to: '24:00' }]), holidays: [] };
  const r = await call(url, leadToken, '/api/settings/openingHours', { method: 'PUT', body: JSON.stringify(always) });
  if (r.status !== 200) throw new Error(`opening hours: HTTP ${r.status}`);
}
