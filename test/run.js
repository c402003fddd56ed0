/**
 * `npm test`: everything CI checks, in one command that a newcomer can run on a bare machine.
 *
 * 1. In its first seconds it checks what the later stages need from the system (Debian's
 *    Chromium, PostgreSQL and its `postgres` user, Redis, `ip` and user namespaces for the private
 *    network, a compiler for n8n's first install). As root, or with sudo that asks no password, it
 *    installs what is missing with apt-get; otherwise it stops at once with the command that fixes it.
 * 2. It runs every stage (build, lint, typecheck, scan, unit, install, e2e, browser, queue), even after one
 *    fails, printing each stage's result and time, and exits non-zero listing every failure. Lint,
 *    typecheck and scan run side by side (their output printed one after the other).
 *    The first-run installs of n8n and Verdaccio run here, before jest (which would hold their
 *    output until a test file ends), with their progress and without npm's warnings.
 *
 *   npm test                  every stage
 *   npm test -- unit e2e      some stages (names as above)
 *   npm test -- --check       only the system check: what is missing, and the command that fixes it
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { n8nInstallDir } = require('./e2e/n8n/install');
const { verdaccioInstallDir } = require('./browser/registry/install');

const ROOT = path.resolve(__dirname, '..');
const IS_ROOT = process.getuid?.() === 0;
/** `ip` and `useradd` live in /usr/sbin, which a non-root PATH may lack. */
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];
const N8N_VARIANTS = ['n8n-2', 'n8n-1'];

// ---------------------------------------------------------------------------------------------
// The system check

const onPath = (command) =>
	[...(process.env.PATH ?? '').split(':'), ...SBIN].some((dir) =>
		fs.existsSync(path.join(dir, command)),
	);
const userExists = (name) => spawnSync('id', ['-u', name], { stdio: 'ignore' }).status === 0;
const initdb = () =>
	fs.existsSync('/usr/lib/postgresql') &&
	fs
		.readdirSync('/usr/lib/postgresql')
		.some((v) => fs.existsSync(path.join('/usr/lib/postgresql', v, 'bin', 'initdb')));
const isInstalled = ({ dir }) => fs.existsSync(path.join(dir, '.installed'));

/** The same namespaces test/browser/registry/private-network.js asks for. */
function namespacesWork() {
	const args = [
		...(IS_ROOT ? [] : ['--map-root-user']),
		...['--net', '--mount', '--pid', '--fork', 'true'],
	];
	return spawnSync('unshare', args, { stdio: 'ignore' }).status === 0;
}

/**
 * What is missing. Each entry: `apt` (Debian packages that bring it), or `command` (what fixes it,
 * run as root), or only `fix` (a command this script cannot run for you).
 */
function missing() {
	const found = [];
	const chromium = process.env.BREVO_CHROMIUM ?? '/usr/bin/chromium';
	if (!fs.existsSync(chromium))
		found.push(
			process.env.BREVO_CHROMIUM
				? { what: `${chromium} (BREVO_CHROMIUM)`, fix: 'unset BREVO_CHROMIUM' }
				: { what: "Debian's Chromium (browser tests)", apt: ['chromium'] },
		);
	if (!initdb()) found.push({ what: 'PostgreSQL (queue-mode test)', apt: ['postgresql'] });
	else if (IS_ROOT && !userExists('postgres'))
		found.push({
			what: 'the `postgres` user (PostgreSQL refuses to run as root; the queue test runs it as postgres)',
			command: ['useradd', '--system', '--user-group', '--no-create-home', 'postgres'],
		});
	if (!onPath('redis-server'))
		found.push({ what: 'Redis (queue-mode test)', apt: ['redis-server'] });
	if (!onPath('ip'))
		found.push({ what: '`ip` (browser tests’ private network)', apt: ['iproute2'] });
	if (!onPath('unshare')) found.push({ what: '`unshare`', apt: ['util-linux'] });
	else if (!namespacesWork())
		found.push({
			what: 'user namespaces (browser tests’ private network)',
			fix: 'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 kernel.unprivileged_userns_clone=1',
		});
	// n8n's first install rebuilds sqlite3 against Node 24's headers.
	const firstInstall = N8N_VARIANTS.some((v) => !isInstalled(n8nInstallDir(v)));
	const tools = ['python3', 'make', 'g++'].filter((c) => !onPath(c));
	if (firstInstall && tools.length > 0)
		found.push({
			what: `${tools.join(', ')} (n8n's first install builds sqlite3)`,
			apt: tools,
		});
	return found;
}

/** How to get root for a command: none needed, sudo without a password, or not at all. */
function rootPrefix() {
	if (IS_ROOT) return [];
	if (onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0)
		return ['sudo', '-n'];
	return undefined;
}

function fixCommand(needs) {
	const apt = [...new Set(needs.flatMap((n) => n.apt ?? []))];
	const commands = [];
	if (apt.length > 0)
		commands.push(`sudo apt-get update && sudo apt-get install -y ${apt.join(' ')}`);
	for (const n of needs) {
		if (n.command) commands.push(`sudo ${n.command.join(' ')}`);
		if (n.fix) commands.push(n.fix);
	}
	return commands.join(' && ');
}

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { stdio: 'inherit', ...options });
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed (${result.status})`);
}

/** Installs what it can; returns what is still missing. */
function provide(needs) {
	const sudo = rootPrefix();
	if (sudo === undefined) return needs;
	const asRoot = (argv, env) => run([...sudo, ...argv][0], [...sudo, ...argv].slice(1), { env });
	const apt = [...new Set(needs.flatMap((n) => n.apt ?? []))];
	if (apt.length > 0) {
		console.log(`Installing Debian's ${apt.join(', ')} with apt-get (first run only)…`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		asRoot(['apt-get', 'update', '-qq'], env);
		asRoot(['apt-get', 'install', '-y', '-qq', ...apt], env);
	}
	for (const n of needs.filter((n) => n.command)) {
		console.log(`Creating ${n.what}…`);
		asRoot(n.command, { ...process.env, PATH: `${process.env.PATH}:${SBIN.join(':')}` });
	}
	return missing();
}

function checkSystem({ install }) {
	let needs = missing();
	if (needs.length > 0 && install) needs = provide(needs);
	if (needs.length === 0) {
		console.log('System check: Chromium, PostgreSQL, Redis and user namespaces are there.');
		return true;
	}
	console.error(
		`\nnpm test needs:\n${needs.map((n) => `  - ${n.what}`).join('\n')}\n` +
			`${install && rootPrefix() === undefined ? 'Without root (or sudo without a password) it cannot install them. ' : ''}Run:\n\n  ${fixCommand(needs)}\n\nthen npm test again.`,
	);
	return false;
}

// ---------------------------------------------------------------------------------------------
// The stages

const seconds = (ms) => {
	const s = Math.round(ms / 1000);
	return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
};

/**
 * Runs a command, its output passed through line by line, minus npm's warnings (dozens of
 * `npm warn ERESOLVE` lines per n8n install); with `progress`, a line every 30 s saying it still
 * runs; with `held`, its output is kept there (to print once the stages beside it are done).
 */
function stream(command, args, { progress, held } = {}) {
	return new Promise((resolve) => {
		const started = Date.now();
		const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		const hold = (stdStream) => ({ write: (text) => held.push([stdStream, text]) });
		for (const [from, to] of [
			[child.stdout, held ? hold(process.stdout) : process.stdout],
			[child.stderr, held ? hold(process.stderr) : process.stderr],
		]) {
			let rest = '';
			from.setEncoding('utf8');
			from.on('data', (chunk) => {
				const lines = (rest + chunk).split('\n');
				rest = lines.pop() ?? '';
				for (const line of lines) if (!/^npm warn/i.test(line)) to.write(`${line}\n`);
			});
			from.on('end', () => rest && !/^npm warn/i.test(rest) && to.write(`${rest}\n`));
		}
		const timer =
			progress &&
			setInterval(
				() => console.log(`  … ${progress()}, ${seconds(Date.now() - started)} so far`),
				30_000,
			);
		child.on('close', (code) => {
			if (timer) clearInterval(timer);
			resolve(code ?? 1);
		});
		child.on('error', () => resolve(1));
	});
}

const npmRun = (script) => (options) => stream('npm', ['run', '--silent', script], options);

/** MB written so far into an install folder. */
function sizeOf(dir) {
	const out = spawnSync('du', ['-sm', dir], { encoding: 'utf8' }).stdout ?? '';
	return `${out.split('\t')[0] || 0} MB in ${dir}`;
}

/** The real n8n (2.x and 1.x) and Verdaccio, into the cache folder: first run only. */
async function installs() {
	const todo = [
		...N8N_VARIANTS.map((v) => ({
			name: v,
			dir: n8nInstallDir(v).dir,
			script: 'e2e/n8n/install.js',
			args: [v],
		})),
		{
			name: 'Verdaccio',
			dir: verdaccioInstallDir().dir,
			script: 'browser/registry/install.js',
			args: [],
		},
	];
	let code = 0;
	for (const item of todo) {
		if (isInstalled(item)) {
			console.log(`${item.name}: installed in ${item.dir}`);
			continue;
		}
		const status = await stream(
			process.execPath,
			[path.join(__dirname, item.script), ...item.args],
			{
				progress: () => `installing ${item.name}: ${sizeOf(item.dir)}`,
			},
		);
		code ||= status;
	}
	return code;
}

const STAGES = [
	{ name: 'build', run: npmRun('build'), passed: 'compiled into dist/' },
	// The three checks read what the build wrote and nothing else: they run side by side.
	{
		name: 'lint',
		run: npmRun('lint'),
		passed: "n8n's community-node rules and test/'s: nothing reported",
		beside: 'checks',
	},
	{
		name: 'typecheck',
		run: npmRun('typecheck'),
		passed: "test/'s TypeScript checked (jest only transpiles it)",
		beside: 'checks',
	},
	{ name: 'scan', run: npmRun('scan'), beside: 'checks' },
	{ name: 'unit', run: npmRun('test:unit') },
	{ name: 'install', run: installs, passed: 'n8n 2.x, n8n 1.x and Verdaccio ready' },
	{ name: 'e2e', run: npmRun('test:e2e') },
	{ name: 'browser', run: npmRun('test:browser') },
	{ name: 'queue', run: npmRun('test:queue') },
];

async function main() {
	const args = process.argv.slice(2);
	if (args.includes('--check')) {
		process.exitCode = checkSystem({ install: false }) ? 0 : 1;
		return;
	}
	const unknown = args.filter((a) => !STAGES.some((s) => s.name === a));
	if (unknown.length > 0) {
		console.error(
			`Unknown stage ${unknown.join(', ')}: the stages are ${STAGES.map((s) => s.name).join(', ')}`,
		);
		process.exitCode = 2;
		return;
	}
	// The end-to-end, browser and queue stages need the installs first (jest would hold their output).
	if (args.some((a) => ['e2e', 'browser', 'queue'].includes(a))) args.push('install');
	const stages = args.length > 0 ? STAGES.filter((s) => args.includes(s.name)) : STAGES;
	const needsSystem = stages.some((s) => ['install', 'browser', 'queue'].includes(s.name));
	if (needsSystem && !checkSystem({ install: true })) {
		process.exitCode = 1;
		return;
	}

	const started = Date.now();
	const results = [];
	const report = (stage, code, ms) => {
		const result = { name: stage.name, ok: code === 0, ms, code };
		results.push(result);
		console.log(
			`━━ ${stage.name}: ${result.ok ? `passed${stage.passed ? ` (${stage.passed})` : ''}` : `FAILED (exit code ${code})`} in ${seconds(ms)}`,
		);
	};
	for (let i = 0; i < stages.length; ) {
		const stage = stages[i];
		// Stages that run side by side: each one's output is held, then printed in order.
		let end = i + 1;
		while (stage.beside && stages[end]?.beside === stage.beside) end++;
		const group = stages.slice(i, end);
		const t0 = Date.now();
		if (group.length === 1) {
			console.log(`\n━━ ${stage.name} ━━`);
			report(stage, await stage.run(), Date.now() - t0);
		} else {
			const done = await Promise.all(
				group.map(async (s) => {
					const held = [];
					const code = await s.run({ held });
					return { s, held, code, ms: Date.now() - t0 };
				}),
			);
			for (const { s, held, code, ms } of done) {
				console.log(
					`\n━━ ${s.name} (beside ${group
						.filter((g) => g !== s)
						.map((g) => g.name)
						.join(', ')}) ━━`,
				);
				for (const [to, text] of held) to.write(text);
				report(s, code, ms);
			}
		}
		i = end;
	}

	const failed = results.filter((r) => !r.ok);
	console.log(
		`\nnpm test: ${results.length} stage${results.length === 1 ? '' : 's'} in ${seconds(Date.now() - started)}`,
	);
	for (const r of results)
		console.log(`  ${r.ok ? 'pass' : 'FAIL'}  ${r.name.padEnd(8)} ${seconds(r.ms).padStart(10)}`);
	if (failed.length > 0) {
		console.log(`\nFailed: ${failed.map((r) => r.name).join(', ')} (their output is above)`);
		process.exitCode = 1;
	}
}

module.exports = { missing, stream };

if (require.main === module)
	main().catch((error) => {
		console.error(error);
		process.exitCode = 1;
	});
