// The architecture's arrows, checked in CI (`npm run depcheck`): apps sit on libs, libs never
// reach up, the domain stays pure, and nothing imports itself in a circle.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: cut it by moving the shared part into a file both can import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'apps-not-from-apps',
      severity: 'error',
      comment: 'Apps are thin bootstraps over libs; what two apps share belongs in a lib.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-not-from-apps',
      severity: 'error',
      comment: 'Libs never depend on an app: the arrows point down.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'src-not-from-tests',
      severity: 'error',
      comment: 'Production code never imports test support or the benchmark.',
      from: { path: '^(apps|libs)/', pathNot: '\\.spec\\.ts$|/testing/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'governance-is-pure',
      severity: 'error',
      comment:
        'libs/governance is the pure domain: no infrastructure package, no other lib (node:crypto is allowed). Its specs may use test tools (fast-check).',
      from: { path: '^libs/governance/', pathNot: '\\.spec\\.ts$' },
      to: {
        pathNot: '^libs/governance/',
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'governance-core-modules',
      severity: 'error',
      comment: 'The domain may hash, but does no I/O.',
      from: { path: '^libs/governance/' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?crypto$' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import the checker cannot resolve would hide an arrow.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.stack)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
