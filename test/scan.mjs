// n8n's verification scanner, offline. `@n8n/scan-community-package` normally downloads a
// published package; here we run its exported analyzePackage() exactly as its CLI does: over the
// sources (SOURCE_FILE_PATTERNS) and over the unpacked `npm pack` tarball (**/*.js, package.json).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'brevo-event-scan-'));

function report(label, result) {
	console.log(
		`${result.passed ? 'PASS' : 'FAIL'} scanner on ${label}${result.message ? `: ${result.message}` : ''}`,
	);
	if (result.details) console.log(result.details);
	return result.passed;
}

try {
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
		cwd: root,
		encoding: 'utf8',
	})
		.trim()
		.split('\n')
		.pop();
	execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work]);
	const sources = await analyzePackage(root, SOURCE_FILE_PATTERNS);
	const dist = await analyzePackage(path.join(work, 'package'), ['**/*.js', 'package.json']);
	const ok = report('sources', sources) & report(`tarball ${tarball}`, dist);
	process.exitCode = ok ? 0 : 1;
} finally {
	rmSync(work, { recursive: true, force: true });
}
