/**
 * Runs a command in a private network: a new network namespace holding only a loopback interface,
 * a new mount namespace in which /etc/hosts sends registry.npmjs.org to 127.0.0.1 (and
 * /etc/resolv.conf names a name server on loopback, so that other names fail at once), and a new PID
 * namespace, so that nothing the command started outlives it. Whatever
 * the command starts (the local registry, n8n, npm, Chromium) can reach loopback and nothing else,
 * so n8n's community-nodes panel, which installs only from https://registry.npmjs.org, installs
 * from the local registry, and nothing can leave the machine.
 *
 *   node test/browser/registry/private-network.js <command> [args…]
 *
 * Needs root, or unprivileged user namespaces (then it maps the user to root inside). Inside, the
 * environment variable BREVO_PRIVATE_NETWORK=1 is set.
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The names that the private /etc/hosts sends to loopback. */
const REGISTRY_HOSTS = ['registry.npmjs.org'];

/** `ip` lives in /usr/sbin, which a non-root PATH may lack. */
const SBIN = '/usr/local/sbin:/usr/sbin:/sbin';

// sh stays process 1 of the namespace's PID namespace (no exec): when it exits, the kernel ends
// every process still running in there (a registry or an n8n a failed test left behind).
const INSIDE = [
	'set -e',
	'ip link set lo up',
	'mount --bind "$BREVO_PRIVATE_HOSTS" /etc/hosts',
	'mount --bind "$BREVO_PRIVATE_RESOLV" /etc/resolv.conf',
	'"$@"',
].join('\n');

/**
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<number>} the command's exit code
 */
function runInPrivateNetwork(command, args) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-private-net-'));
	const hosts = path.join(dir, 'hosts');
	const lines = ['127.0.0.1 localhost', '::1 localhost ip6-localhost ip6-loopback'];
	for (const host of REGISTRY_HOSTS) lines.push(`127.0.0.1 ${host}`);
	fs.writeFileSync(hosts, `${lines.join('\n')}\n`);
	// A name server on loopback, where none listens: a lookup of any other name (n8n asks for
	// api.n8n.io) fails at once instead of timing out against an unreachable server, which
	// delayed n8n's start by a minute.
	const resolv = path.join(dir, 'resolv.conf');
	fs.writeFileSync(resolv, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');

	const isRoot = process.getuid?.() === 0;
	const unshareArgs = [
		...(isRoot ? [] : ['--map-root-user']),
		'--net',
		'--mount',
		'--propagation',
		'private',
		'--pid',
		'--fork',
		'--mount-proc',
		'--kill-child',
		'--',
		'sh',
		'-c',
		INSIDE,
		'sh',
		command,
		...args,
	];
	return new Promise((resolve, reject) => {
		const child = spawn('unshare', unshareArgs, {
			stdio: 'inherit',
			env: {
				...process.env,
				PATH: `${process.env.PATH}:${SBIN}`,
				BREVO_PRIVATE_NETWORK: '1',
				BREVO_PRIVATE_HOSTS: hosts,
				BREVO_PRIVATE_RESOLV: resolv,
			},
		});
		const forward = (signal) => child.kill(signal);
		process.on('SIGINT', forward);
		process.on('SIGTERM', forward);
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			process.off('SIGINT', forward);
			process.off('SIGTERM', forward);
			fs.rmSync(dir, { recursive: true, force: true });
			resolve(code ?? (signal ? 1 : 0));
		});
	});
}

/**
 * The network interfaces of this process's namespace (/proc/self/net/dev; /sys/class/net would show
 * the namespace that mounted /sys): only `lo` inside the private network.
 */
function networkInterfaces() {
	return fs
		.readFileSync('/proc/self/net/dev', 'utf8')
		.split('\n')
		.slice(2)
		.map((line) => line.split(':')[0].trim())
		.filter(Boolean)
		.sort();
}

module.exports = { runInPrivateNetwork, networkInterfaces, REGISTRY_HOSTS };

if (require.main === module) {
	const [command, ...args] = process.argv.slice(2);
	if (!command) {
		console.error('usage: node test/browser/registry/private-network.js <command> [args…]');
		process.exit(2);
	}
	runInPrivateNetwork(command, args).then(
		(code) => process.exit(code),
		(error) => {
			console.error(`Could not start the private network (unshare): ${error.message}`);
			process.exit(1);
		},
	);
}
