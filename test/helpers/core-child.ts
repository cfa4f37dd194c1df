// A Node child process running the agent core behind the same port protocol as Electron's
// utility process, so the supervisor is tested against a real process that can be killed.
import { openSessionFromStart, serveCoreOverPort, stderrLogger as logger } from '../../electron/core/transport/port-transport';

serveCoreOverPort(
  { post: (text) => process.send?.(text), onMessage: (listener) => process.on('message', listener) },
  (start, vault) => openSessionFromStart(start, vault, logger),
  logger,
);
