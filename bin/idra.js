#!/usr/bin/env node
// Runs the compiled CLI when dist/ is a build of the current sources (fast start), else the TypeScript
// through tsx (always correct; `npm run build` or any setup makes the build).
const { currentBuild } = require('./build-state');

const build = currentBuild();
if (build) {
  require(`${build}/clients/cli/main.js`);
} else {
  // Both loaders: `require` of the sources, and the `import()` that loads a module only when a command needs it.
  require('tsx/cjs');
  require('tsx/esm/api').register();
  require('../clients/cli/main.ts');
}
