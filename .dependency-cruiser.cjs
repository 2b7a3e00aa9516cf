/**
 * Module boundaries of DESIGN §2, enforced by `npm run check`:
 *  - platform/ imports no system (service, trading, supervision);
 *  - a module imports another module only through that module's index.ts (type-only imports of a
 *    kernel part's types are allowed inside platform/);
 *  - supervision never reaches into trading's internals (covered by the index rule);
 *  - no import cycles.
 * test/fixtures/boundary-violation holds a deliberate violation; test/check/boundaries.test.ts proves
 * these rules catch it.
 */
module.exports = {
  forbidden: [
    {
      name: 'platform-imports-no-system',
      severity: 'error',
      comment: 'The kernel stands under the three systems and must not depend on any of them.',
      from: { path: '^src/platform/' },
      to: { path: '^src/(service|trading|supervision)/' },
    },
    {
      name: 'module-only-through-index',
      severity: 'error',
      comment: 'Import another module only through its index.ts (its public face).',
      from: { path: '^src/(service|trading|supervision)/([^/]+)/' },
      to: {
        path: '^src/(service|trading|supervision)/[^/]+/',
        pathNot: [
          '^src/$1/$2/',
          '^src/(service|trading|supervision)/[^/]+/index\\.ts$',
          // a module's test factory is its public face for other modules' tests (never production code, below)
          '^src/(service|trading|supervision)/[^/]+/test-factory\\.ts$',
        ],
      },
    },
    {
      name: 'kernel-part-only-through-index',
      severity: 'error',
      comment:
        'A kernel part uses another kernel part through its index.ts (types may be imported directly).',
      from: { path: '^src/platform/([^/]+)/' },
      to: {
        path: '^src/platform/[^/]+/',
        pathNot: ['^src/platform/$1/', '^src/platform/[^/]+/index\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      from: { path: '^src/', pathNot: '(\\.test\\.ts|/test-factory\\.ts)$' },
      to: { path: '(^test/|\\.test\\.ts$|/test-factory\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^web/|node_modules)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
