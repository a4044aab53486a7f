import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const uiRoot = fileURLToPath(new URL('.', import.meta.url));

/** Builds the web UI from ui/ into dist/ui, which `cairn server` serves at `/`. */
export default defineConfig({
  root: uiRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/ui',
    emptyOutDir: true,
    assetsDir: 'assets',
    // uPlot and React together are ~300 kB; one chunk keeps first paint to two requests.
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `vite --config ui/vite.config.ts` during development talks to a local `cairn server`.
    proxy: {
      '/ajax-api': 'http://127.0.0.1:5000',
      '/api': 'http://127.0.0.1:5000',
    },
  },
});
