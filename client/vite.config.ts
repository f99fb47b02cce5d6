import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// `npm run dev` starts the API on 4000; the dev server forwards GraphQL (incl. websockets), auth and the CSV exports to it.
const api = 'http://localhost:4000';

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: api, ws: true },
      '/api/': { target: api },
      '/exports/': { target: api },
    },
  },
  preview: { port: 4173 },
});
