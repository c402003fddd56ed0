/**
 * A throwaway certificate authority and a server certificate for registry.npmjs.org, made with
 * openssl into a temporary folder: the local registry serves `https://registry.npmjs.org` with it,
 * and only processes told to (NODE_EXTRA_CA_CERTS, npm_config_cafile) trust it. Nothing is
 * installed in the system trust store; the folder is deleted with the run.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/**
 * @param {string} dir an empty folder of the run
 * @param {string[]} hostnames names the server certificate is valid for
 * @returns {{ caCert: string, key: string, cert: string }} file paths
 */
function makeThrowawayCa(dir, hostnames) {
	const file = (name) => path.join(dir, name);
	const openssl = (args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
	openssl([
		'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
		'-subj', '/CN=n8n-nodes-brevo-event throwaway test CA',
		'-keyout', file('ca.key'), '-out', file('ca.crt'),
		'-addext', 'basicConstraints=critical,CA:TRUE',
		'-addext', 'keyUsage=critical,keyCertSign,cRLSign',
	]); // prettier-ignore
	openssl([
		'req', '-newkey', 'rsa:2048', '-nodes',
		'-subj', `/CN=${hostnames[0]}`,
		'-keyout', file('server.key'), '-out', file('server.csr'),
	]); // prettier-ignore
	fs.writeFileSync(
		file('server.ext'),
		[
			'basicConstraints=CA:FALSE',
			'keyUsage=digitalSignature,keyEncipherment',
			'extendedKeyUsage=serverAuth',
			`subjectAltName=${hostnames.map((h) => `DNS:${h}`).join(',')},IP:127.0.0.1`,
		].join('\n'),
	);
	openssl([
		'x509', '-req', '-in', file('server.csr'), '-days', '2',
		'-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
		'-extfile', file('server.ext'), '-out', file('server.crt'),
	]); // prettier-ignore
	// The CA's private key is not needed any more: nothing else can be signed with it.
	fs.rmSync(file('ca.key'));
	return { caCert: file('ca.crt'), key: file('server.key'), cert: file('server.crt') };
}

module.exports = { makeThrowawayCa };
