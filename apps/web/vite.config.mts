import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(webRoot, '../..');

/**
 * The Mustafid web shell. Vite 8 transforms TSX itself (oxc), so no React plugin is
 * needed; JSX uses React's automatic runtime.
 *
 *   build: vite build --config apps/web/vite.config.mts   → dist/apps/web
 *   dev:   vite --config apps/web/vite.config.mts          (proxies /api to the server on :3000)
 */
export default defineConfig(({ mode }) => ({
  root: webRoot,
  base: '/',
  publicDir: resolve(webRoot, 'public'),
  resolve: {
    // react-router 7's package exports name only its development build (dev warnings on);
    // its production build ships beside it. The bundle takes that one.
    alias:
      mode === 'production'
        ? [{ find: /^react-router$/, replacement: resolve(repoRoot, 'node_modules/react-router/dist/production/index.mjs') }]
        : [],
  },
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react' },
  },
  build: {
    outDir: resolve(repoRoot, 'dist/apps/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The task page's chunk holds form-js and bpmn-js (~690 kB) and loads only when a task opens.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      onwarn(warning, warn) {
        // react-router marks its modules "use client" for React Server Components; meaningless here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
}));
