// Entry of the agent core's Electron utility process (bundled as core.cjs). No `electron`
// import: Electron gives this process only `process.parentPort`.
import { openSessionFromStart, serveCoreOverPort, stderrLogger as logger } from '../core/transport/port-transport';

const port = process.parentPort;

serveCoreOverPort(
  { post: (text) => port.postMessage(text), onMessage: (listener) => port.on('message', (e) => listener(e.data)) },
  (start, vault) => openSessionFromStart(start, vault, logger),
  logger,
);
