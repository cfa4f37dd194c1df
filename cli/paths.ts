import { fileURLToPath } from 'node:url';

/** Where `npm run build:renderer` puts the renderer. */
export const RENDERER_DIR = fileURLToPath(new URL('../dist/renderer/', import.meta.url));
