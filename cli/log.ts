/** Operator-facing log lines on stderr, so stdout stays free for results. */
export function createStderrLogger(name: string, quiet = false) {
  const line = (level: string, msg: string) => process.stderr.write(`${new Date().toISOString()} ${level} ${name}: ${msg}\n`);
  return {
    info: (msg: string) => (quiet ? undefined : line('info', msg)),
    warn: (msg: string) => line('warn', msg),
    error: (msg: string) => line('error', msg),
  };
}
