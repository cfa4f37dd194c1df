import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer, built for the browser host (and later the Electron window) into dist/renderer.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'es2022' },
});
