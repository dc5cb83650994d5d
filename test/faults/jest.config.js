// The fault suite (`npm run test:faults`, scripts/test-faults.sh): not part of `npm test`, whose
// integration project matches test/**/*.test.ts only.
const base = require('../../jest.config.js').projects.find((p) => p.displayName === 'integration');
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  transform: base.transform,
  moduleNameMapper: base.moduleNameMapper,
  testMatch: ['<rootDir>/test/faults/*.faults.ts'],
};
