import { defineConfig } from 'vite';

/** The dashboard: static files in web/dist, served by `dcgrid serve` at `/` (docs/DASHBOARD.md). */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
