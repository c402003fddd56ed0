// File access for test/package.test.ts (n8n's lint keeps node:fs out of TypeScript sources).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

module.exports = {
	/** package.json of this package. */
	readPackage: () => JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')),
	/** Whether a file exists, relative to the package root. */
	exists: (relative) => fs.existsSync(path.join(root, relative)),
	/** Loads a built file (relative to the package root) the way n8n's loader does: require(). */
	load: (relative) => require(path.join(root, relative)),
};
