// jest's `testTimeout` is a global option, the same for every project; jest.config.js gives each
// project its own as the global PROJECT_TIMEOUT_MS instead, applied here to every test file.
/* global PROJECT_TIMEOUT_MS */
jest.setTimeout(PROJECT_TIMEOUT_MS);
