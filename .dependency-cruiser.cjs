/**
 * pvefleet's import walls (ARCHITECTURE.md, "Layers and packages"). Run: npm run lint:deps.
 * Tests and benches (test/, bench/, *.spec.ts, *.spec-helper.ts) may import anything, with one
 * exception: no lib imports an app, except lib tests importing the simulator package by name.
 */
const TESTS = '(^test/|^bench/|[.](e2e-|int-)?spec[.]ts$|[.]spec-helper[.]ts$|/testing/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-imports-app',
      comment: 'Libraries are composed by apps, never the reverse.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/', pathNot: '^apps/simulator/' },
    },
    {
      name: 'lib-imports-simulator',
      comment: 'Only lib tests use the simulator (the @pvefleet/simulator package); lib code never does.',
      severity: 'error',
      from: { path: '^libs/', pathNot: TESTS },
      to: { path: '^apps/simulator/' },
    },
    {
      name: 'simulator-imports-pvefleet',
      comment: 'The simulator is an independent peer of pvefleet: it shares no code with libs/ or the other apps.',
      severity: 'error',
      from: { path: '^apps/simulator/' },
      to: { path: '^(libs|apps/api|apps/worker)/' },
    },
    {
      name: 'api-reaches-ssh',
      comment: 'The API process never loads SSH, not even through a barrel: it submits tasks, workers run them.',
      severity: 'error',
      from: { path: '^apps/api/src/main[.]ts$' },
      to: { path: '^libs/(ssh/|tasks/src/run)', reachable: true },
    },
    {
      name: 'jobs-imports-lib',
      comment: 'Job kinds are pure plans and parsers: only the error classes besides themselves.',
      severity: 'error',
      from: { path: '^libs/jobs/', pathNot: TESTS },
      to: { path: '^libs/', pathNot: '^libs/(jobs|errors)/' },
    },
    {
      name: 'desired-domain-imports-lib',
      comment: 'Desired-state fields, merging and drift are pure like job kinds: the catalog and error classes only.',
      severity: 'error',
      from: { path: '^libs/desired/src/', pathNot: `${TESTS}|^libs/desired/src/state/` },
      to: { path: '^libs/', pathNot: '^libs/(desired/src/(?!state/)|jobs/|errors/)' },
    },
    {
      name: 'schedules-domain-imports-lib',
      comment: 'Cron, fire times, spread and missed-run decisions are pure: the catalog and error classes only.',
      severity: 'error',
      from: { path: '^libs/schedules/src/', pathNot: `${TESTS}|^libs/schedules/src/(state|windows)/` },
      to: { path: '^libs/', pathNot: '^libs/(schedules/src/(?!state/|windows/)|jobs/|errors/|desired/src/(?!state/))' },
    },
    {
      name: 'alerts-run-commands',
      comment: 'Alerts read rows and send over HTTP and SMTP: they never run a command on a node.',
      severity: 'error',
      from: { path: '^libs/alerts/', pathNot: TESTS },
      to: { path: '^libs/(ssh/|tasks/src/run|nodes/src/access)' },
    },
    {
      name: 'contracts-imports-lib',
      comment: 'Contracts describe the wire: built from job kinds, desired-state fields and error classes, nothing that does work.',
      severity: 'error',
      from: { path: '^libs/contracts/', pathNot: TESTS },
      to: { path: '^libs/', pathNot: '^libs/(contracts/|jobs/|errors/|desired/src/(?!state/)|schedules/src/(?!state/|windows/))' },
    },
    {
      name: 'no-circular-between-libs',
      comment: 'A cycle between libs makes both one package: break it.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/', pathNot: TESTS },
      to: { circular: true, path: '^libs/', pathNot: '^libs/$1/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing (a typo, a missing package).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|/generated/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
