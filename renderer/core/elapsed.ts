/** mm:ss (or h:mm:ss) of a number of seconds: every time span the desk and the board show. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** mm:ss (or h:mm:ss) since `from`: the call bar's timers and time in state. */
export function elapsed(from: number, now: number): string {
  return duration((now - from) / 1000);
}
