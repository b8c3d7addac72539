import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(webRoot, '../..');
/** The project's own bpmnlint rules (libs/workflow), bundled from the source folder. */
const mustafidLintPlugin = resolve(repoRoot, 'libs/workflow/bpmnlint-plugin-mustafid');

/**
 * `virtual:bpmnlint-bundle` — every rule of bpmnlint, bpmnlint-plugin-camunda-compat and
 * bpmnlint-plugin-mustafid, and every named config of the three, compiled for the browser
 * (bpmnlint/lib/support/compile-config). The modeler page lints with the config the server
 * gives (GET /api/modeling/lint-context), so any rule or `extends` it names resolves here.
 */
function bpmnlintBundle(): Plugin {
  const id = 'virtual:bpmnlint-bundle';
  const resolvedId = `\0${id}`;
  const rootRequire = createRequire(resolve(repoRoot, 'package.json'));
  // The project plugin resolves from its folder whether or not it is linked into node_modules.
  const mapped = (request: string) => request.replace(/^bpmnlint-plugin-mustafid(?=\/|$)/, mustafidLintPlugin);
  const pluginRequire = Object.assign((request: string): unknown => rootRequire(mapped(request)), {
    resolve: (request: string) => rootRequire.resolve(mapped(request)),
  });
  return {
    name: 'mustafid-bpmnlint-bundle',
    resolveId: (source) => (source === id ? resolvedId : null),
    async load(loaded) {
      if (loaded !== resolvedId) return null;
      const compileConfig = rootRequire('bpmnlint/lib/support/compile-config') as (config: unknown, resolver: unknown) => Promise<string>;
      const NodeResolver = rootRequire('bpmnlint/lib/resolver/node-resolver') as new (options: { require: unknown }) => unknown;
      type LintPackage = { configs?: Record<string, { rules?: Record<string, unknown> }>; rules?: Record<string, string> };
      const core = rootRequire('bpmnlint/config/all') as { rules: Record<string, unknown> };
      const compat = rootRequire('bpmnlint-plugin-camunda-compat') as LintPackage;
      const mustafid = pluginRequire('bpmnlint-plugin-mustafid') as LintPackage;
      const mustafidRules = readdirSync(resolve(mustafidLintPlugin, 'rules'))
        .filter((file) => file.endsWith('.js') && !file.startsWith('helper'))
        .map((file) => file.slice(0, -3));
      const rules: Record<string, string> = {};
      for (const name of Object.keys(core.rules)) rules[name] = 'warn';
      // Its configs also name core rules ('bpmnlint/…'): those are bundled above.
      for (const name of Object.keys(compat.rules ?? {}).filter((rule) => !rule.includes('/'))) rules[`camunda-compat/${name}`] = 'warn';
      for (const name of mustafidRules) rules[`mustafid/${name}`] = 'warn';
      const configs: Record<string, unknown> = {};
      for (const name of ['all', 'correctness', 'recommended']) configs[`bpmnlint/${name}`] = rootRequire(`bpmnlint/config/${name}`);
      for (const [name, config] of Object.entries(compat.configs ?? {})) configs[`bpmnlint-plugin-camunda-compat/${name}`] = config;
      for (const [name, config] of Object.entries(mustafid.configs ?? {})) configs[`bpmnlint-plugin-mustafid/${name}`] = config;
      const code = await compileConfig({ rules }, new NodeResolver({ require: pluginRequire }));
      return `${code}
const bundledConfigs = ${JSON.stringify(configs)};
Resolver.prototype.resolveConfig = function (pkg, configName) {
  const found = bundledConfigs[pkg + '/' + configName];
  if (!found) throw new Error('cannot resolve config <' + configName + '> in <' + pkg + '>: not bundled');
  return found;
};
`;
    },
  };
}

/**
 * form-js's editor and viewer each come with a preact of their own, and the properties panel
 * they render bundles a third: hooks from one copy under another's renderer fail ("reading
 * 'context'"). form-js's own bundles use one; so does this build: the one inside
 * @bpmn-io/properties-panel (the copy bpmn-js's properties panel uses too).
 */
function onePreactForFormJs(): Plugin {
  const shared = resolve(repoRoot, 'node_modules/@bpmn-io/properties-panel/preact');
  return {
    name: 'mustafid-one-preact-for-form-js',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !/^preact(\/|$)/.test(source) || !/[\\/]@bpmn-io[\\/]form-js-(editor|viewer)[\\/]/.test(importer)) return null;
      return this.resolve(source.replace(/^preact/, shared), importer, { skipSelf: true });
    },
  };
}

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
  plugins: [bpmnlintBundle(), onePreactForFormJs()],
  resolve: {
    alias: [
      // The rules compiled into virtual:bpmnlint-bundle import the project plugin by its package name.
      { find: /^bpmnlint-plugin-mustafid(?=\/|$)/, replacement: mustafidLintPlugin },
      // react-router 7's package exports name only its development build (dev warnings on);
      // its production build ships beside it. The bundle takes that one.
      ...(mode === 'production' ? [{ find: /^react-router$/, replacement: resolve(repoRoot, 'node_modules/react-router/dist/production/index.mjs') }] : []),
    ],
  },
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react' },
  },
  build: {
    outDir: resolve(repoRoot, 'dist/apps/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The task page's chunk holds form-js and bpmn-js (~690 kB) and loads only when a task opens;
    // the modeler's holds camunda-bpmn-js with its properties panel (FEEL editor included) and
    // every bpmnlint rule (~2.7 MB, ~620 kB gzipped) and loads only for process owners.
    chunkSizeWarningLimit: 2900,
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
