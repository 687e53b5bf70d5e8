import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer: a static bundle in out/renderer, loaded by Electron from app://ui/ (never from a server). */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../out/renderer', emptyOutDir: true, sourcemap: true, target: 'chrome120' },
});
