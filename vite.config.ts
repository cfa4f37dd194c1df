import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer, built for the browser host (and later the Electron window) into dist/renderer.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  // A desktop app served from disk or loopback: one bundle with JsSIP is fine.
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1500 },
});
