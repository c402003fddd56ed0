/**
 * PostgreSQL and Redis for n8n's queue mode, run as plain processes in a temporary folder on free
 * loopback ports (no system service, no fixed port). The Debian packages `postgresql` and
 * `redis-server` provide the binaries; `.ci/run` installs them when missing.
 */
'use strict';

const { execFile, execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { freePort } = require('../e2e/n8n/cli');

const MISSING =
	'PostgreSQL and Redis are needed for the queue-mode test: `apt-get install -y postgresql redis-server` (.ci/run does it on a fresh machine).';

/** The folder of PostgreSQL's server binaries (initdb, postgres, pg_isready), newest version first. */
function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root)
		? fs
				.readdirSync(root)
				.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length === 0) throw new Error(`initdb not found under ${root}. ${MISSING}`);
	return path.join(root, versions[0], 'bin');
}

function redisBinary() {
	for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server'])
		if (fs.existsSync(candidate)) return candidate;
	throw new Error(`redis-server not found. ${MISSING}`);
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user Debian creates. */
function postgresUser() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
	return { uid, gid };
}

/** Ends a child process: `signal`, then SIGKILL if it has not exited after `graceMs`. */
async function stopProcess(child, graceMs = 10_000, signal = 'SIGTERM') {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	await new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(undefined);
		});
		child.kill(signal);
	});
}

async function waitFor(what, check, timeoutMs = 60_000) {
	const started = Date.now();
	for (;;) {
		if (await check()) return;
		if (Date.now() - started > timeoutMs)
			throw new Error(`${what} not ready after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * Starts a throwaway PostgreSQL cluster (trust auth, fsync off: test data only) with a database
 * `n8n`. Returns its connection settings, `psql(sql)` to query it, and `stop()`.
 */
async function startPostgres() {
	const bin = postgresBinDir();
	const user = postgresUser();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-queue-pg-'));
	if (user.uid !== undefined) fs.chownSync(dir, user.uid, user.gid);
	const data = path.join(dir, 'data');
	execFileSync(
		path.join(bin, 'initdb'),
		['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
		{ ...user, stdio: 'ignore' },
	);
	const port = await freePort();
	const log = fs.openSync(path.join(dir, 'postgres.log'), 'w');
	if (user.uid !== undefined) fs.fchownSync(log, user.uid, user.gid);
	const child = spawn(
		path.join(bin, 'postgres'),
		[
			'-D',
			data,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			`unix_socket_directories=${dir}`,
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		],
		{ ...user, stdio: ['ignore', log, log] },
	);
	const connection = { host: '127.0.0.1', port, user: 'postgres', database: 'n8n' };
	const psqlArgs = (sql, database) => [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		'postgres',
		'-d',
		database,
		'-At',
		'-c',
		sql,
	];
	// Asynchronous: the sandbox may run in the same process, and must keep answering meanwhile.
	const psqlAsync = (sql, database = 'n8n') =>
		new Promise((resolve, reject) =>
			execFile(
				path.join(bin, 'psql'),
				psqlArgs(sql, database),
				{ encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 },
				(error, stdout) => (error ? reject(error) : resolve(stdout)),
			),
		);
	const psql = (sql, database = 'n8n') =>
		execFileSync(
			path.join(bin, 'psql'),
			['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-At', '-c', sql],
			{ encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 },
		);
	// SIGINT: PostgreSQL's fast shutdown (SIGTERM waits for every client to leave).
	const stop = async () => {
		await stopProcess(child, 10_000, 'SIGINT');
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		await waitFor('PostgreSQL', () => {
			if (child.exitCode !== null)
				throw new Error(
					`postgres exited: ${fs.readFileSync(path.join(dir, 'postgres.log'), 'utf8')}`,
				);
			try {
				execFileSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {
					stdio: 'ignore',
				});
				return true;
			} catch {
				return false;
			}
		});
		psql('CREATE DATABASE n8n', 'postgres');
	} catch (error) {
		await stop();
		throw error;
	}
	return { ...connection, pid: child.pid, psql, psqlAsync, stop };
}

/** Starts a throwaway Redis (no persistence) on a free port. */
async function startRedis() {
	const binary = redisBinary();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-queue-redis-'));
	const port = await freePort();
	const log = fs.openSync(path.join(dir, 'redis.log'), 'w');
	const child = spawn(
		binary,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ stdio: ['ignore', log, log] },
	);
	const stop = async () => {
		await stopProcess(child);
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		await waitFor('Redis', async () => {
			if (child.exitCode !== null)
				throw new Error(
					`redis-server exited: ${fs.readFileSync(path.join(dir, 'redis.log'), 'utf8')}`,
				);
			return await new Promise((resolve) => {
				const socket = net.connect(port, '127.0.0.1');
				socket.once('connect', () => socket.write('PING\r\n'));
				socket.once('data', (data) => {
					socket.destroy();
					resolve(String(data).startsWith('+PONG'));
				});
				socket.once('error', () => resolve(false));
			});
		});
	} catch (error) {
		await stop();
		throw error;
	}
	return { host: '127.0.0.1', port, pid: child.pid, stop };
}

module.exports = { startPostgres, startRedis, stopProcess, waitFor };
