import { register } from 'node:module';

/**
 * `import 'server-only'` marks Aki's server modules: Next resolves it to an empty module in server
 * bundles and fails a build that pulls one into the browser. Plain Node (the tsx entry points:
 * `npm run worker`, `db:migrate`, `db:seed`, the emulator CLIs, the benches) runs the same server
 * modules without Next, where the package's default export throws. Preloaded with `--import`, this
 * resolves `server-only` alone under the `react-server` condition (its empty module) and leaves every
 * other package, react and next-intl included, to its usual exports.
 */
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier !== 'server-only') return next(specifier, context);
  return next(specifier, { ...context, conditions: [...context.conditions, 'react-server'] });
}`;

register(`data:text/javascript,${encodeURIComponent(hooks)}`);
