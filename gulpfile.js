// tsc compiles the TypeScript; n8n also needs the icons and the codex (.node.json) next to the
// compiled node and credential, where their `file:` paths point.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports.default = copyAssets;
exports.copyAssets = copyAssets;
