import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (name: string) => fileURLToPath(new URL(`./renderer/${name}.html`, import.meta.url));

// The renderer, built for the browser host (and later the Electron window) into dist/renderer:
// the agent desk (index.html), the practice phone (practice.html) that trainers and tests call with,
// and the departments' knowledge portal (portal.html, served by the city server at /portal/).
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  // KRDS's fonts, referenced from the token stylesheet (renderer/theme/tokens.css).
  resolve: { alias: { krds: fileURLToPath(new URL('./node_modules/krds-uiux/resources', import.meta.url)) } },
  // A desktop app served from disk or loopback: one bundle with JsSIP is fine.
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: { index: page('index'), practice: page('practice'), portal: page('portal') } },
  },
});
